/*
 * shinfo.h: the shared_info page.
 *
 * start_info->shared_info is the page's MACHINE address, and the page is
 * not in our initial mapping: we map it over a page-aligned page of our
 * own bss. It holds vcpu_info[0] (upcall pending/mask, pending selector,
 * cr2 of the last page fault, time record) and the 2-level event channel
 * pending and mask bitmaps.
 */
#ifndef CHAOS_RT_SHINFO_H
#define CHAOS_RT_SHINFO_H

#include "xen_iface.h"

/* The mapped page; valid once shinfo_init() succeeded. */
extern struct shared_info *xen_shared_info;

/* Maps the shared_info page. Returns 0 or a negative Xen errno. */
int shinfo_init(const start_info_t *si);

/* Our (only) vcpu's vcpu_info. */
static inline struct vcpu_info *shinfo_vcpu0(void)
{
    return &xen_shared_info->vcpu_info[0];
}

#endif
