/*
 * events.c: 2-level event channels, declared in events.h.
 */
#include "barrier.h"
#include "events.h"
#include "evtchn_2l.h"
#include "hypercall.h"
#include "shinfo.h"

/* Entry points in entry.S. */
extern char hypervisor_callback[];
extern char failsafe_callback[];

struct handler {
    evtchn_handler_t *fn;
    void *arg;
};

static struct handler handlers[EVENTS_NR_HANDLERS];

int events_init(void)
{
    struct callback_register event = {
        .type = CALLBACKTYPE_event,
        .address = (unsigned long)hypervisor_callback,
    };
    struct callback_register failsafe = {
        .type = CALLBACKTYPE_failsafe,
        .flags = CALLBACKF_mask_events,
        .address = (unsigned long)failsafe_callback,
    };
    int rc;

    evtchn_2l_set_all(xen_shared_info->evtchn_mask);
    rc = (int)HYPERVISOR_callback_op(CALLBACKOP_register, &event);
    if (rc == 0)
        rc = (int)HYPERVISOR_callback_op(CALLBACKOP_register, &failsafe);
    return rc;
}

void events_enable(void)
{
    struct vcpu_info *v = shinfo_vcpu0();

    WRITE_ONCE(v->evtchn_upcall_mask, 0);
    /*
     * Xen sets upcall_pending and then looks at the mask; we clear the mask
     * and then look at upcall_pending. The full barrier keeps our load from
     * passing our store, so one of the two sides sees the other.
     */
    mb();
    if (READ_ONCE(v->evtchn_upcall_pending)) {
        /* Any hypercall returns through Xen's event check, which upcalls. */
        HYPERVISOR_xen_version(XENVER_version, NULL);
    }
}

unsigned long events_save_disable(void)
{
    struct vcpu_info *v = shinfo_vcpu0();
    unsigned long saved = READ_ONCE(v->evtchn_upcall_mask);

    WRITE_ONCE(v->evtchn_upcall_mask, 1);
    barrier();
    return saved;
}

void events_restore(unsigned long saved)
{
    barrier();
    if (saved == 0)
        events_enable();
}

int evtchn_bind(evtchn_port_t port, evtchn_handler_t *handler, void *arg)
{
    unsigned long saved;

    if (port >= EVENTS_NR_HANDLERS)
        return -XEN_EINVAL;
    saved = events_save_disable();
    handlers[port].fn = handler;
    handlers[port].arg = arg;
    events_restore(saved);
    return 0;
}

void evtchn_unbind(evtchn_port_t port)
{
    evtchn_bind(port, NULL, NULL);
}

int evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask op = { .port = port };

    /*
     * Do not clear the mask bit ourselves first: Xen test-and-clears it
     * and re-raises a pending event only if it found the bit set.
     */
    return (int)HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}

void evtchn_mask(evtchn_port_t port)
{
    evtchn_2l_set(xen_shared_info->evtchn_mask, port);
}

void evtchn_clear(evtchn_port_t port)
{
    evtchn_2l_clear(xen_shared_info->evtchn_pending, port);
}

int evtchn_send(evtchn_port_t port)
{
    struct evtchn_send op = { .port = port };

    return (int)HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

int evtchn_alloc_unbound(domid_t remote_dom, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = {
        .dom = DOMID_SELF,
        .remote_dom = remote_dom,
    };
    int rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

    if (rc == 0)
        *port = op.port;
    return rc;
}

int evtchn_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port,
                            evtchn_port_t *port)
{
    struct evtchn_bind_interdomain op = {
        .remote_dom = remote_dom,
        .remote_port = remote_port,
    };
    int rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);

    if (rc == 0)
        *port = op.local_port;
    return rc;
}

int evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_ipi op = { .vcpu = vcpu };
    int rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &op);

    if (rc == 0)
        *port = op.port;
    return rc;
}

int evtchn_status(evtchn_port_t port, struct evtchn_status *status)
{
    status->dom = DOMID_SELF;
    status->port = port;
    return (int)HYPERVISOR_event_channel_op(EVTCHNOP_status, status);
}

int evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = { .port = port };

    return (int)HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
}

static void deliver(evtchn_port_t port, void *unused)
{
    (void)unused;
    if (port < EVENTS_NR_HANDLERS && handlers[port].fn)
        handlers[port].fn(port, handlers[port].arg);
}

void events_upcall(void)
{
    struct vcpu_info *v = shinfo_vcpu0();

    do {
        /*
         * Clear upcall_pending before taking the selector: an event that
         * arrives after the exchange sets both again and we loop (or Xen
         * upcalls again after our iret).
         */
        WRITE_ONCE(v->evtchn_upcall_pending, 0);
        evtchn_2l_dispatch(&v->evtchn_pending_sel,
                           xen_shared_info->evtchn_pending,
                           xen_shared_info->evtchn_mask, deliver, NULL);
    } while (READ_ONCE(v->evtchn_upcall_pending));
}
