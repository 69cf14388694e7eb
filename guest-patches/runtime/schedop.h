/*
 * schedop.h: the scheduler hypercalls a unikernel needs.
 */
#ifndef CHAOS_RT_SCHEDOP_H
#define CHAOS_RT_SCHEDOP_H

#include "xen_iface.h"

/*
 * Shuts the domain down with reason (SHUTDOWN_poweroff, SHUTDOWN_crash,
 * ... from xen/sched.h). Never returns: if Xen refuses, it crashes the
 * domain instead, and failing that blocks forever.
 */
_Noreturn void sched_shutdown(unsigned int reason);

/*
 * Blocks until an event is pending for delivery. Xen clears the upcall
 * mask first (enables event delivery), so any handler runs before this
 * returns; masked ports do not wake us.
 */
void sched_block(void);

/*
 * Blocks until port is pending or the system time reaches deadline_ns
 * (ABSOLUTE Xen system time in ns; 0 means no timeout). Returns at once if
 * port is already pending, so callers clear it before testing their
 * condition. Works whether or not port is masked and whatever the upcall
 * mask. Returns 0 or a negative Xen errno.
 */
int sched_poll(evtchn_port_t port, uint64_t deadline_ns);

#endif
