/*
 * time.h: Xen system time (ns since the host booted), the clock of
 * SCHEDOP_poll and set_timer_op deadlines.
 */
#ifndef CHAOS_RT_TIME_H
#define CHAOS_RT_TIME_H

#include "xen_iface.h"

#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC  1000000000ULL

/* Current system time in ns, from vcpu_info[0].time and the TSC. */
uint64_t time_now_ns(void);

#endif
