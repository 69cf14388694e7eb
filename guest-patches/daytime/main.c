/*
 * daytime: a guest with one network interface that answers ARP and ICMP
 * echo for the address its command line gives (ip=A.B.C.D) and serves
 * the time of day on TCP port 13 (RFC 867): accept, write, close.
 *
 * On its console it says "daytime: up (domid N) A.B.C.D MAC (noxs)" (or
 * "(xenstore)", the way its interface was connected) once the interface
 * is connected, or what failed (it then crashes, so that the toolstack
 * and the operator see it).
 *
 * For tests of backends, hostile=index, hostile=gref or hostile=state on
 * the command line makes it break the protocol right after connecting
 * (netfront_misbehave), say "daytime: hostile (MODE) done" and block.
 */
#include "cmdline.h"
#include "console.h"
#include "domid.h"
#include "events.h"
#include "gnttab.h"
#include "lib.h"
#include "net.h"
#include "netfront.h"
#include "runtime.h"
#include "schedop.h"
#include "time.h"
#include "utc.h"
#include "wallclock.h"

const char guest_name[] = "daytime";

static struct net net;

static void send_frame(void *ctx, const void *frame, size_t len)
{
    (void)ctx;
    /* A full TX ring drops the frame: TCP retransmits, ping retries. */
    netfront_send(frame, len);
}

static size_t daytime_text(void *ctx, char *buf, size_t len)
{
    (void)ctx;
    return utc_format(buf, len, wallclock_now_sec());
}

static void on_frame(const void *frame, size_t len, bool csum_valid,
                     void *arg)
{
    (void)arg;
    net_input(&net, frame, len, csum_valid, time_now_ns());
}

_Noreturn static void fail(const char *what, int rc)
{
    console_printf("daytime: %s failed (%d)\n", what, rc);
    console_flush(CONSOLE_STALL_NS);
    sched_shutdown(SHUTDOWN_crash);
}

_Noreturn static void misbehave(const char *mode)
{
    static const struct {
        const char *name;
        enum netfront_misbehaviour how;
    } modes[] = {
        { "index", NETFRONT_BAD_INDEX },
        { "gref", NETFRONT_BAD_GREF },
        { "state", NETFRONT_BAD_STATE },
    };
    int rc = -XEN_EINVAL;

    for (size_t i = 0; i < ARRAY_SIZE(modes); i++)
        if (strlen(mode) == strlen(modes[i].name) &&
            memcmp(mode, modes[i].name, strlen(mode)) == 0)
            rc = netfront_misbehave(modes[i].how);
    console_printf("daytime: hostile (%s) %s\n", mode,
                   rc ? "not understood" : "done");
    for (;;)
        sched_block();
}

void guest_main(const start_info_t *si)
{
    const char *cmdline = (const char *)si->cmd_line, *what = "";
    char ip_text[16], hostile[16];
    const uint8_t *mac;
    domid_t domid = 0;
    int rc;

    if (!cmdline_value(cmdline, MAX_GUEST_CMDLINE, "ip", ip_text,
                       sizeof(ip_text)) ||
        !net_parse_ip(ip_text, &net.ip))
        fail("finding ip=A.B.C.D on the command line", -XEN_EINVAL);
    rc = gnttab_init();
    if (rc)
        fail("setting up the grant table", rc);
    rc = netfront_init(si, &what);
    if (rc)
        fail(what, rc);
    mac = netfront_mac();
    memcpy(net.mac, mac, sizeof(net.mac));
    net.send = send_frame;
    net.daytime = daytime_text;
    domid_self(&domid);
    net.isn_seed = (uint32_t)time_now_ns() ^ (uint32_t)domid << 16;
    console_printf("daytime: up (domid %u) %s %02x:%02x:%02x:%02x:%02x:%02x "
                   "(%s)\n", (unsigned int)domid, ip_text, mac[0], mac[1],
                   mac[2], mac[3], mac[4], mac[5],
                   netfront_noxs() ? "noxs" : "xenstore");
    if (cmdline_value(cmdline, MAX_GUEST_CMDLINE, "hostile", hostile,
                      sizeof(hostile)))
        misbehave(hostile);
    for (;;) {
        uint64_t next;

        /* Cleared before the rings are read: an answer that lands after
         * the read leaves the port pending and ends the poll at once. */
        evtchn_clear(netfront_port());
        netfront_poll(on_frame, NULL);
        next = net_timer(&net, time_now_ns());
        sched_poll(netfront_port(), next == UINT64_MAX ? 0 : next);
    }
}
