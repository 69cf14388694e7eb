/*
 * console.c: the PV console driver, declared in console.h.
 */
#include <stdarg.h>

#include "barrier.h"
#include "console.h"
#include "events.h"
#include "fmt.h"
#include "mm.h"
#include "schedop.h"
#include "time.h"
#include "xencons_ring.h"

/* Longest single sleep while waiting, so a backend that forgets to notify
 * costs a little latency, not a hang. */
#define WAIT_SLICE_NS (50 * NSEC_PER_MSEC)

static struct xencons_interface *ring;
static evtchn_port_t port;

void console_init(const start_info_t *si)
{
    if (si->console.domU.mfn == 0)
        return;
    ring = mfn_to_virt(si->console.domU.mfn);
    port = si->console.domU.evtchn;
}

bool console_connected(void)
{
    struct evtchn_status st;

    return ring && evtchn_status(port, &st) == 0 &&
           st.status == EVTCHNSTAT_interdomain;
}

static bool ring_has_room(void)
{
    return xencons_out_has_room(ring);
}

static bool ring_drained(void)
{
    return xencons_out_drained(ring);
}

/*
 * Sleeps on the console port until done() or the absolute deadline; the
 * backend notifies the port after consuming. The pending bit is cleared
 * before each test so that a notification arriving after the test ends
 * the poll at once instead of being lost. Returns done().
 */
static bool wait_for(bool (*done)(void), uint64_t deadline)
{
    for (;;) {
        uint64_t now, until;

        evtchn_clear(port);
        if (done())
            return true;
        now = time_now_ns();
        if (now >= deadline)
            return false;
        until = deadline - now > WAIT_SLICE_NS ? now + WAIT_SLICE_NS
                                               : deadline;
        sched_poll(port, until);
    }
}

void console_write(const char *s, size_t len)
{
    unsigned long saved;

    if (!ring)
        return;
    saved = events_save_disable();
    while (len) {
        size_t n = xencons_out_put(ring, s, len);

        if (n) {
            evtchn_send(port);
            s += n;
            len -= n;
            continue;
        }
        if (!console_connected() ||
            !wait_for(ring_has_room, time_now_ns() + CONSOLE_STALL_NS))
            break;
    }
    events_restore(saved);
}

void console_printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    n = fmt_vformat(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    console_write(buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
}

size_t console_read(char *buf, size_t len)
{
    unsigned long saved;
    XENCONS_RING_IDX cons;
    size_t n;

    if (!ring)
        return 0;
    saved = events_save_disable();
    cons = READ_ONCE(ring->in_cons);
    n = xencons_in_get(ring, buf, len);
    if (READ_ONCE(ring->in_cons) != cons)
        evtchn_send(port);
    events_restore(saved);
    return n;
}

int console_bind(evtchn_handler_t *handler, void *arg)
{
    int rc;

    if (!ring)
        return -XEN_ENODEV;
    rc = evtchn_bind(port, handler, arg);
    if (rc == 0)
        rc = evtchn_unmask(port);
    return rc;
}

void console_flush(uint64_t timeout_ns)
{
    if (!console_connected())
        return;
    wait_for(ring_drained, time_now_ns() + timeout_ns);
}
