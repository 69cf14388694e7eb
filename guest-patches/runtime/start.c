/*
 * start.c: the boot sequence, from _start to guest_main() (runtime.h).
 */
#include "barrier.h"
#include "console.h"
#include "events.h"
#include "mm.h"
#include "panic.h"
#include "runtime.h"
#include "schedop.h"
#include "shinfo.h"
#include "traps.h"

/* In head.S: the page below the boot stack. */
extern char boot_stack_guard[];

const start_info_t *xen_start_info;

_Noreturn void runtime_start(start_info_t *si)
{
    int rc;

    xen_start_info = si;
    mm_init(si);
    /* Nothing can be reported without shared_info (time, event bits). */
    if (shinfo_init(si) != 0)
        sched_shutdown(SHUTDOWN_crash);
    /*
     * The domain builder starts us with upcalls masked; make sure of it
     * until the callbacks are registered.
     */
    WRITE_ONCE(shinfo_vcpu0()->evtchn_upcall_mask, 1);
    barrier();

    console_init(si);
    rc = traps_init();
    if (rc)
        panic("set_trap_table failed (%d)", rc);
    rc = mm_unmap(boot_stack_guard);
    if (rc)
        panic("cannot unmap the stack guard page (%d)", rc);
    rc = events_init();
    if (rc)
        panic("event callback registration failed (%d)", rc);
    events_enable();

    guest_main(si);
    panic("guest_main returned");
}
