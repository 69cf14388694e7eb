/*
 * noop: the smallest useful guest. Boots, prints "noop: up (domid N)" on
 * its console, then blocks forever. With the word "poweroff" on its
 * command line it then shuts down with SHUTDOWN_poweroff, with "crash"
 * with SHUTDOWN_crash (crash wins if both are given), after letting a
 * connected console backend read the line.
 *
 * It also exercises the runtime pieces a real guest needs: the grant
 * table and the event upcall path. Their failures are reported on the
 * console (as extra lines) but do not stop the guest.
 */
#include "cmdline.h"
#include "console.h"
#include "domid.h"
#include "events.h"
#include "gnttab.h"
#include "mm.h"
#include "runtime.h"
#include "schedop.h"

const char guest_name[] = "noop";

static volatile bool ipi_seen;

static void on_ipi(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    ipi_seen = true;
}

/*
 * Sends an event to ourselves on an IPI port and checks that the upcall
 * ran its handler: the send's hypercall returns through Xen's event check,
 * which upcalls before the send returns. Returns 0 or an error code.
 */
static int upcall_selftest(void)
{
    evtchn_port_t port;
    int rc = evtchn_bind_ipi(0, &port);

    if (rc)
        return rc;
    rc = evtchn_bind(port, on_ipi, NULL);
    if (rc == 0)
        rc = evtchn_unmask(port);
    if (rc == 0)
        rc = evtchn_send(port);
    if (rc == 0 && !ipi_seen)
        rc = -XEN_EIO;
    evtchn_mask(port);
    evtchn_unbind(port);
    evtchn_close(port);
    return rc;
}

/* Grants and revokes one of our pages: touches the mapped grant table. */
static int gnttab_selftest(void)
{
    grant_ref_t ref;
    int rc = gnttab_init();

    if (rc == 0)
        rc = gnttab_grant_access(0, virt_to_mfn(guest_name), true, &ref);
    if (rc == 0)
        rc = gnttab_end_access(ref);
    return rc;
}

void guest_main(const start_info_t *si)
{
    const char *cmdline = (const char *)si->cmd_line;
    domid_t domid;
    int rc;

    rc = gnttab_selftest();
    if (rc)
        console_printf("noop: grant table self-test failed (%d)\n", rc);
    rc = upcall_selftest();
    if (rc)
        console_printf("noop: event upcall self-test failed (%d)\n", rc);

    if (domid_self(&domid) == 0)
        console_printf("noop: up (domid %u)\n", (unsigned int)domid);
    else
        console_printf("noop: up (domid unknown)\n");

    if (cmdline_has_word(cmdline, MAX_GUEST_CMDLINE, "crash")) {
        console_flush(CONSOLE_STALL_NS);
        sched_shutdown(SHUTDOWN_crash);
    }
    if (cmdline_has_word(cmdline, MAX_GUEST_CMDLINE, "poweroff")) {
        console_flush(CONSOLE_STALL_NS);
        sched_shutdown(SHUTDOWN_poweroff);
    }
    for (;;)
        sched_block();
}
