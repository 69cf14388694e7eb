/*
 * schedop.c: scheduler hypercalls, declared in schedop.h.
 */
#include "hypercall.h"
#include "schedop.h"

_Noreturn void sched_shutdown(unsigned int reason)
{
    struct sched_shutdown op = { .reason = reason };

    HYPERVISOR_sched_op(SCHEDOP_shutdown, &op);
    op.reason = SHUTDOWN_crash;
    HYPERVISOR_sched_op(SCHEDOP_shutdown, &op);
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

void sched_block(void)
{
    HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

int sched_poll(evtchn_port_t port, uint64_t deadline_ns)
{
    struct sched_poll op = { .nr_ports = 1, .timeout = deadline_ns };

    set_xen_guest_handle(op.ports, &port);
    return (int)HYPERVISOR_sched_op(SCHEDOP_poll, &op);
}
