/*
 * xen_iface.h: the Xen public interface, for guest and host builds alike.
 *
 * The public headers expect the fixed-width integer types to be declared
 * before they are included and do not include <stdint.h> themselves, so
 * the rest of the runtime includes them only through this header. The
 * interface version (__XEN_INTERFACE_VERSION__) comes from the build: it
 * changes struct layouts and hypercall numbers, so the guest and the host
 * unit tests must be compiled with the same value.
 */
#ifndef CHAOS_RT_XEN_IFACE_H
#define CHAOS_RT_XEN_IFACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/callback.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/io/console.h>
#include <xen/sched.h>
#include <xen/version.h>

#define XEN_PAGE_SHIFT 12
#define XEN_PAGE_SIZE  (1UL << XEN_PAGE_SHIFT)

#endif
