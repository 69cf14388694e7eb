/*
 * runtime.h: the contract between the runtime and a guest.
 *
 * Boot: head.S enters runtime_start() on the boot stack. It maps
 * shared_info, then brings up the console, the trap table and event
 * channels (all ports masked, upcalls enabled), and calls guest_main().
 * If guest_main() returns, the domain crashes with a message.
 */
#ifndef CHAOS_RT_RUNTIME_H
#define CHAOS_RT_RUNTIME_H

#include "xen_iface.h"

/* Defined by each guest: its name, prefixed to runtime messages. */
extern const char guest_name[];

/*
 * Defined by each guest: its body, called once with the runtime up.
 * si is the start_info page Xen built for us; it stays mapped.
 */
void guest_main(const start_info_t *si);

/* The start_info page, for modules that need it after boot. */
extern const start_info_t *xen_start_info;

/* The C entry point, called by _start (head.S) with Xen's start_info. */
_Noreturn void runtime_start(start_info_t *si);

#endif
