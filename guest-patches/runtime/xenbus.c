/*
 * xenbus.c: the XenStore client declared in xenbus.h.
 */
#include "bytering.h"
#include "events.h"
#include "fmt.h"
#include "lib.h"
#include "mm.h"
#include "schedop.h"
#include "time.h"
#include "xenbus.h"

#include <xen/io/xs_wire.h>

/* How long to sleep between looks at the ring: the port wakes us earlier. */
#define POLL_NS (10ULL * NSEC_PER_MSEC)

static struct xenstore_domain_interface *ring;
static evtchn_port_t port;
static uint32_t next_req_id;

int xenbus_init(const start_info_t *si)
{
    if (si->store_mfn == 0)
        return -XEN_ENODEV;
    ring = mfn_to_virt(si->store_mfn);
    if (!ring)
        return -XEN_ENODEV;
    port = si->store_evtchn;
    return 0;
}

/*
 * Moves LEN bytes between BUF and the ring, in the direction OUT says,
 * notifying xenstored and waiting until DEADLINE for it to make progress.
 */
static int transfer(void *buf, size_t len, bool out, uint64_t deadline)
{
    char *b = buf;

    while (len > 0) {
        size_t n;

        evtchn_clear(port);
        n = out ? bytering_put(ring->req, XENSTORE_RING_SIZE, &ring->req_prod,
                               &ring->req_cons, b, len)
                : bytering_get(ring->rsp, XENSTORE_RING_SIZE, &ring->rsp_prod,
                               &ring->rsp_cons, b, len);
        if (n > 0) {
            evtchn_send(port);
            b += n;
            len -= n;
            continue;
        }
        if (time_now_ns() >= deadline)
            return -XEN_ETIMEDOUT;
        sched_poll(port, time_now_ns() + POLL_NS);
    }
    return 0;
}

/* Maps xenstored's error text to a Xen errno. */
static int error_code(const char *text)
{
    static const struct { const char *name; int code; } codes[] = {
        { "ENOENT", XEN_ENOENT }, { "EACCES", XEN_EACCES },
        { "EINVAL", XEN_EINVAL }, { "E2BIG", XEN_E2BIG },
        { "EAGAIN", XEN_EAGAIN }, { "ENOSPC", XEN_ENOSPC },
    };

    for (size_t i = 0; i < ARRAY_SIZE(codes); i++)
        if (strlen(text) == strlen(codes[i].name) &&
            memcmp(text, codes[i].name, strlen(text)) == 0)
            return -codes[i].code;
    return -XEN_EIO;
}

/*
 * Sends one request of TYPE with the N_PARTS payload PARTS (each with its
 * NUL, but for a write's value) and reads its reply's payload into REPLY
 * (LEN bytes, NUL-terminated). Replies to other requests are skipped.
 */
static int request(enum xsd_sockmsg_type type, const char *const *parts,
                   const size_t *lens, size_t n_parts, char *reply,
                   size_t len)
{
    uint64_t deadline = time_now_ns() + XENBUS_TIMEOUT_NS;
    struct xsd_sockmsg msg = { .type = type, .req_id = ++next_req_id };
    char discard[64];
    int rc;

    if (!ring)
        return -XEN_ENODEV;
    for (size_t i = 0; i < n_parts; i++)
        msg.len += (uint32_t)lens[i];
    if (msg.len > XENSTORE_PAYLOAD_MAX)
        return -XEN_E2BIG;
    rc = transfer(&msg, sizeof(msg), true, deadline);
    for (size_t i = 0; rc == 0 && i < n_parts; i++)
        rc = transfer((void *)parts[i], lens[i], true, deadline);
    while (rc == 0) {
        struct xsd_sockmsg rsp;
        size_t kept, skip;

        rc = transfer(&rsp, sizeof(rsp), false, deadline);
        if (rc)
            break;
        if (rsp.len > XENSTORE_PAYLOAD_MAX)
            return -XEN_EIO;        /* framing lost: nothing more to trust */
        kept = rsp.req_id == msg.req_id && len > 0
             ? (rsp.len < len - 1 ? rsp.len : len - 1) : 0;
        rc = transfer(reply, kept, false, deadline);
        for (skip = rsp.len - kept; rc == 0 && skip > 0;) {
            size_t n = skip < sizeof(discard) ? skip : sizeof(discard);

            rc = transfer(discard, n, false, deadline);
            skip -= n;
        }
        if (rc || rsp.req_id != msg.req_id)
            continue;
        if (len > 0)
            reply[kept] = '\0';
        if (rsp.type == XS_ERROR)
            return error_code(len > 0 ? reply : "");
        if (rsp.type != type)
            return -XEN_EIO;
        return kept < rsp.len ? -XEN_E2BIG : 0;
    }
    return rc;
}

int xenbus_read(const char *path, char *buf, size_t len)
{
    const char *parts[] = { path };
    size_t lens[] = { strlen(path) + 1 };

    return request(XS_READ, parts, lens, 1, buf, len);
}

int xenbus_write(const char *path, const char *value)
{
    const char *parts[] = { path, value };
    size_t lens[] = { strlen(path) + 1, strlen(value) };
    char ok[8];

    return request(XS_WRITE, parts, lens, 2, ok, sizeof(ok));
}

int xenbus_read_uint(const char *path, unsigned long *value)
{
    char buf[24];
    unsigned long v = 0;
    int rc = xenbus_read(path, buf, sizeof(buf));

    if (rc)
        return rc;
    if (buf[0] == '\0')
        return -XEN_EINVAL;
    for (const char *p = buf; *p; p++) {
        if (*p < '0' || *p > '9' || v > (~0UL - 9) / 10)
            return -XEN_EINVAL;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    *value = v;
    return 0;
}

int xenbus_write_uint(const char *path, unsigned long value)
{
    char buf[24];

    fmt_format(buf, sizeof(buf), "%lu", value);
    return xenbus_write(path, buf);
}

int xenbus_wait_uint(const char *path, bool (*want)(unsigned long value),
                     uint64_t timeout_ns, unsigned long *value)
{
    uint64_t deadline = time_now_ns() + timeout_ns;

    for (;;) {
        int rc = xenbus_read_uint(path, value);

        if (rc == -XEN_ENOENT) {
            *value = 0;
            rc = 0;
        }
        if (rc)
            return rc;
        if (want(*value))
            return 0;
        if (time_now_ns() >= deadline)
            return -XEN_ETIMEDOUT;
        sched_poll(port, time_now_ns() + POLL_NS);
        evtchn_clear(port);
    }
}
