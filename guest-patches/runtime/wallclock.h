/*
 * wallclock.h: the time of day. Xen keeps in shared_info the wall-clock
 * time at which its system time was 0 (wc_sec, wc_nsec, wc_sec_hi, under
 * the wc_version counter: odd while Xen rewrites them); the time of day
 * is that plus the current system time.
 */
#ifndef CHAOS_RT_WALLCLOCK_H
#define CHAOS_RT_WALLCLOCK_H

#include "xen_iface.h"

/* Seconds since the Unix epoch, UTC. */
uint64_t wallclock_now_sec(void);

#endif
