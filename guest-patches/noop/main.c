/*
 * noop: the smallest useful guest. Boots, prints "noop: up (domid N)" on
 * its console, then blocks forever. Words on its command line change what
 * follows the up line, in this order:
 *
 *   chatter   first prints CHATTER_LINES lines "noop: chatter NNNN ....",
 *             NNNN from 0000, each padded with '.' to CHATTER_LINE_LEN
 *             bytes with its '\n', then "noop: chatter done".
 *   crash     then shuts down with SHUTDOWN_crash (crash wins over
 *   poweroff  poweroff) or SHUTDOWN_poweroff, after letting a connected
 *             console backend read the output (at most CONSOLE_STALL_NS);
 *   echo      or else answers every line that arrives on the console
 *             input, ended by '\n' or '\r', with "noop: echo: LINE",
 *             LINE cut to its first ECHO_MAX bytes, forever.
 *
 * It also exercises the runtime pieces a real guest needs: the grant
 * table and the event upcall path. Their failures are reported on the
 * console (as extra lines) but do not stop the guest.
 */
#include "cmdline.h"
#include "console.h"
#include "domid.h"
#include "events.h"
#include "fmt.h"
#include "gnttab.h"
#include "lib.h"
#include "mm.h"
#include "runtime.h"
#include "schedop.h"

#define CHATTER_LINES    2000
#define CHATTER_LINE_LEN 64
#define ECHO_PREFIX      "noop: echo: "
#define ECHO_PREFIX_LEN  (sizeof(ECHO_PREFIX) - 1)
#define ECHO_MAX         200

const char guest_name[] = "noop";

static volatile bool ipi_seen;
static volatile bool console_event;

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

static void chatter(void)
{
    char line[CHATTER_LINE_LEN];
    unsigned int i;

    for (i = 0; i < CHATTER_LINES; i++) {
        size_t n = fmt_format(line, sizeof(line), "noop: chatter %04u ", i);

        memset(line + n, '.', sizeof(line) - 1 - n);
        line[sizeof(line) - 1] = '\n';
        console_write(line, sizeof(line));
    }
    console_printf("noop: chatter done\n");
}

static void on_console(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    console_event = true;
}

/*
 * Blocks until on_console() has run since the last call. Called with
 * upcalls enabled. The flag is tested with upcalls disabled and
 * sched_block() enables them as it blocks, so an event arriving between
 * the test and the block ends the block at once.
 */
static void wait_console_event(void)
{
    events_save_disable();
    while (!console_event) {
        sched_block();
        events_save_disable();
    }
    console_event = false;
    events_enable();
}

/*
 * The echo mode. Waits only after a read found no input: the writes of the
 * echoes may swallow console notifications (console_bind). Returns only
 * if the console port cannot be bound, after saying so.
 */
static void echo_lines(void)
{
    char out[ECHO_PREFIX_LEN + ECHO_MAX + 1];
    size_t len = 0;
    char in[256];
    int rc = console_bind(on_console, NULL);

    if (rc) {
        console_printf("noop: console input unavailable (%d)\n", rc);
        return;
    }
    memcpy(out, ECHO_PREFIX, ECHO_PREFIX_LEN);
    for (;;) {
        size_t n = console_read(in, sizeof(in)), i;

        if (n == 0) {
            wait_console_event();
            continue;
        }
        for (i = 0; i < n; i++) {
            if (in[i] == '\n' || in[i] == '\r') {
                out[ECHO_PREFIX_LEN + len] = '\n';
                console_write(out, ECHO_PREFIX_LEN + len + 1);
                len = 0;
            } else if (len < ECHO_MAX) {
                out[ECHO_PREFIX_LEN + len++] = in[i];
            }
        }
    }
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

    if (cmdline_has_word(cmdline, MAX_GUEST_CMDLINE, "chatter"))
        chatter();
    if (cmdline_has_word(cmdline, MAX_GUEST_CMDLINE, "crash")) {
        console_flush(CONSOLE_STALL_NS);
        sched_shutdown(SHUTDOWN_crash);
    }
    if (cmdline_has_word(cmdline, MAX_GUEST_CMDLINE, "poweroff")) {
        console_flush(CONSOLE_STALL_NS);
        sched_shutdown(SHUTDOWN_poweroff);
    }
    if (cmdline_has_word(cmdline, MAX_GUEST_CMDLINE, "echo"))
        echo_lines();
    for (;;)
        sched_block();
}
