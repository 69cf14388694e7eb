/*
 * events.h: 2-level event channels for a single-vcpu PV guest.
 *
 * Delivery: Xen "upcalls" hypervisor_callback (entry.S) when a port is
 * pending and unmasked and vcpu_info->evtchn_upcall_mask is 0; Xen sets
 * the upcall mask for the duration and the return path (HYPERVISOR_iret)
 * restores it. The upcall runs the handler bound to each delivered port,
 * with events masked; handlers must be short and must not block.
 *
 * Ports start masked (events_init masks all 4096). A bound port receives
 * upcalls only once unmasked. A port that stays masked can still be
 * waited for with sched_poll().
 */
#ifndef CHAOS_RT_EVENTS_H
#define CHAOS_RT_EVENTS_H

#include "xen_iface.h"

/* Handlers can be bound to ports below this. */
#define EVENTS_NR_HANDLERS 256

typedef void evtchn_handler_t(evtchn_port_t port, void *arg);

/*
 * Masks every port and registers the event and failsafe callbacks.
 * Leaves the upcall mask as it is. Returns 0 or a negative Xen errno.
 */
int events_init(void);

/*
 * Enables upcalls (clears the upcall mask); events that became pending
 * while disabled are delivered before this returns.
 */
void events_enable(void);

/*
 * Disables upcalls and returns the previous state for events_restore():
 * the pair brackets code that must not be interrupted by a handler.
 */
unsigned long events_save_disable(void);
void events_restore(unsigned long saved);

/*
 * Binds handler(port, arg) to port (< EVENTS_NR_HANDLERS), replacing any
 * previous one. Does not unmask. Returns 0 or -XEN_EINVAL.
 */
int evtchn_bind(evtchn_port_t port, evtchn_handler_t *handler, void *arg);

/* Removes port's handler; a later delivery to it is dropped. */
void evtchn_unbind(evtchn_port_t port);

/*
 * Unmasks port through EVTCHNOP_unmask, which also re-raises it (upcall)
 * if it became pending while masked. Returns 0 or a negative Xen errno.
 */
int evtchn_unmask(evtchn_port_t port);

/* Masks port. */
void evtchn_mask(evtchn_port_t port);

/* Clears port's pending bit. */
void evtchn_clear(evtchn_port_t port);

/* Notifies the other end of port. Returns 0 or a negative Xen errno. */
int evtchn_send(evtchn_port_t port);

/*
 * Allocates a port that remote_dom may bind to (DOMID_SELF: ourselves).
 * Returns 0 and the port in *port, or a negative Xen errno.
 */
int evtchn_alloc_unbound(domid_t remote_dom, evtchn_port_t *port);

/*
 * Binds a new local port to remote_port of remote_dom, which must have
 * been allocated unbound for us. Returns 0 and the port in *port, or a
 * negative Xen errno.
 */
int evtchn_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port,
                            evtchn_port_t *port);

/*
 * Allocates an IPI port delivered to vcpu: sending on it notifies that
 * vcpu itself. Returns 0 and the port in *port, or a negative Xen errno.
 */
int evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port);

/*
 * Fills *status (EVTCHNSTAT_closed/unbound/interdomain/...) for one of our
 * ports. Returns 0 or a negative Xen errno.
 */
int evtchn_status(evtchn_port_t port, struct evtchn_status *status);

/* Closes port. Returns 0 or a negative Xen errno. */
int evtchn_close(evtchn_port_t port);

/* The upcall's C half, called by hypervisor_callback (entry.S). */
void events_upcall(void);

#endif
