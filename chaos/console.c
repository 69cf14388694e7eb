/*
 * console: a domain's PV console, read from its ring in dom0. See
 * console.h.
 *
 * The ring is written by the guest: it is only read and written through
 * consring, which treats its indices as untrusted.
 */
#include "console.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xen/io/console.h>

#include "chaosd_msg.h"
#include "client.h"
#include "consring.h"
#include "fdio.h"
#include "xsreg.h"

#define ESCAPE 0x1d             /* Ctrl-], as xenconsole */
#define IDLE_CHECK_MS 500       /* how often to check the domain still lives */

struct ring_info {
    uint64_t mfn;
    uint32_t port;
    char *tty;                  /* xenconsoled's pty, or NULL */
};

static char *xs_get(struct xs_handle *xs, uint32_t domid, const char *key)
{
    char path[64];
    unsigned int len;

    snprintf(path, sizeof(path), "/local/domain/%u/console/%s", domid, key);
    return xs_read(xs, XBT_NULL, path, &len);
}

static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;

    if (!s || !*s)
        return false;
    errno = 0;
    *v = strtoull(s, &end, 10);
    return !errno && !*end;
}

/* Whether a process named xenconsoled runs in this domain. */
static bool xenconsoled_running(void)
{
    DIR *proc = opendir("/proc");
    struct dirent *de;
    bool found = false;

    if (!proc)
        return false;
    while (!found && (de = readdir(proc))) {
        char path[300], comm[32] = "";
        FILE *f;

        if (de->d_name[0] < '1' || de->d_name[0] > '9')
            continue;
        snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
        f = fopen(path, "re");
        if (!f)
            continue;
        found = fgets(comm, sizeof(comm), f) &&
                strcmp(comm, "xenconsoled\n") == 0;
        fclose(f);
    }
    closedir(proc);
    return found;
}

/*
 * xenconsoled's pty for DOMID, malloc'd, or NULL when xenconsoled does not
 * serve it. A console of type xenconsoled gets its pty a little after the
 * domain is made: while xenconsoled runs, waits for it up to
 * TTY_WAIT_MS, as libxl waits for it after a create, so that a console
 * attached at once neither misses xenconsoled nor races it for the ring.
 */
#define TTY_WAIT_MS 10000
static char *xenconsoled_tty(struct toolstack *ts, uint32_t domid)
{
    char *type = xs_get(ts->xs, domid, "type");
    bool served = type && strcmp(type, "xenconsoled") == 0;
    bool running = false, checked = false;

    free(type);
    for (int waited = 0; served; waited += 50) {
        struct timespec tick = { 0, 50 * 1000000L };
        char *tty = xs_get(ts->xs, domid, "tty");

        if (tty && *tty)
            return tty;
        free(tty);
        if (!checked) {
            running = xenconsoled_running();
            checked = true;
        }
        if (!running || waited >= TTY_WAIT_MS)
            break;
        nanosleep(&tick, NULL);
    }
    return NULL;
}

/* Finds DOMID's console ring: in xenstore (any toolstack's domains) when
 * xenstored runs, else in chaos's state. When FOLLOW, also xenconsoled's
 * pty if it serves the console. 0 or -1 after printing why. */
static int find_ring(struct toolstack *ts, uint32_t domid, bool follow,
                     struct ring_info *ri, FILE *err)
{
    struct state_domain rec;
    uint64_t port;

    memset(ri, 0, sizeof(*ri));
    if (ts->xs) {
        char *ref = xs_get(ts->xs, domid, "ring-ref");
        char *p = xs_get(ts->xs, domid, "port");
        bool ok = parse_u64(ref, &ri->mfn) && parse_u64(p, &port) &&
                  port <= UINT32_MAX;

        free(ref);
        free(p);
        if (ok) {
            ri->port = (uint32_t)port;
            if (follow)
                ri->tty = xenconsoled_tty(ts, domid);
            return 0;
        }
    }
    if (state_load(&ts->state, domid, &rec) == 0) {
        ri->mfn = rec.console_mfn;
        ri->port = rec.console_port;
        state_domain_free(&rec);
        return 0;
    }
    fprintf(err, "chaos: domain %u has no console that chaos knows of "
            "(is the domain there? see 'chaos list')\n", domid);
    return -1;
}

static bool domain_alive(struct toolstack *ts, uint32_t domid)
{
    xc_domaininfo_t info;

    return xc_domain_getinfolist(ts->xch, domid, 1, &info) == 1 &&
           info.domain == domid && !(info.flags & XEN_DOMINF_dying);
}

struct terminal {
    bool raw;
    struct termios saved;
};

static void terminal_raw(struct terminal *t)
{
    struct termios raw;

    t->raw = false;
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &t->saved) < 0)
        return;
    raw = t->saved;
    cfmakeraw(&raw);
    if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
        t->raw = true;
}

static void terminal_restore(struct terminal *t)
{
    if (t->raw)
        tcsetattr(STDIN_FILENO, TCSANOW, &t->saved);
}

/* Reads what was typed; false at end of input or on Ctrl-]. */
static bool read_keys(char *buf, size_t size, size_t *len)
{
    ssize_t n = read(STDIN_FILENO, buf, size);
    char *esc;

    *len = 0;
    if (n <= 0)
        return false;
    esc = memchr(buf, ESCAPE, (size_t)n);
    *len = esc ? (size_t)(esc - buf) : (size_t)n;
    return !esc;
}

/* Relays between the terminal and xenconsoled's pty TTY. */
static int follow_pty(struct toolstack *ts, uint32_t domid, const char *tty,
                      FILE *err)
{
    struct terminal term;
    int fd = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
    char buf[4096];

    if (fd < 0) {
        fprintf(err, "chaos: domain %u: cannot open its console %s (served by "
                "xenconsoled): %s\n", domid, tty, strerror(errno));
        return 1;
    }
    terminal_raw(&term);
    for (;;) {
        struct pollfd pfd[2] = {
            { .fd = fd, .events = POLLIN },
            { .fd = STDIN_FILENO, .events = POLLIN },
        };
        int r = poll(pfd, 2, IDLE_CHECK_MS);
        size_t len;

        if (r < 0 && errno != EINTR)
            break;
        if (r == 0 && !domain_alive(ts, domid))
            break;
        if (pfd[0].revents & (POLLIN | POLLHUP)) {
            ssize_t n = read(fd, buf, sizeof(buf));

            if (n <= 0)
                break;
            fd_write_all(STDOUT_FILENO, buf, (size_t)n);
        }
        if (pfd[1].revents & (POLLIN | POLLHUP)) {
            bool more = read_keys(buf, sizeof(buf), &len);

            fd_write_all(fd, buf, len);
            if (!more)
                break;
        }
    }
    terminal_restore(&term);
    close(fd);
    return 0;
}

/* Moves new output from the ring to stdout; returns whether it did. */
static bool drain_output(struct xencons_interface *ring)
{
    char buf[CONSRING_OUT_SIZE];
    size_t n = consring_take(ring, buf);

    fd_write_all(STDOUT_FILENO, buf, n);
    return n > 0;
}

/* Writes BUF's N bytes to stdout. */
static void print_out(const char *buf, size_t n)
{
    fwrite(buf, 1, n, stdout);
    fflush(stdout);
}

/* Serves the ring RING of DOMID ourselves, bound to its event channel. */
static int follow_ring(struct toolstack *ts, uint32_t domid,
                       struct xencons_interface *ring, uint32_t remote_port,
                       FILE *err)
{
    xenevtchn_handle *xce = xenevtchn_open(NULL, 0);
    xenevtchn_port_or_error_t local = -1;
    struct terminal term = { 0 };
    char buf[CONSRING_OUT_SIZE];
    int rc = 1;

    if (!xce) {
        fprintf(err, "chaos: cannot open /dev/xen/evtchn: %s\n",
                strerror(errno));
        return 1;
    }
    local = xenevtchn_bind_interdomain(xce, domid, remote_port);
    if (local < 0) {
        fprintf(err, "chaos: domain %u: its console is served by another "
                "program (xenconsoled or another 'chaos console'); use "
                "'chaos console -n' to read it\n", domid);
        goto out;
    }
    /* What someone already read is history; what nobody read yet (its
     * notification may have gone to the unbound port) is drained as new. */
    print_out(buf, consring_consumed(ring, buf));
    if (drain_output(ring))
        xenevtchn_notify(xce, (evtchn_port_t)local);
    terminal_raw(&term);
    for (;;) {
        struct pollfd pfd[2] = {
            { .fd = xenevtchn_fd(xce), .events = POLLIN },
            { .fd = STDIN_FILENO, .events = POLLIN },
        };
        int r = poll(pfd, 2, IDLE_CHECK_MS);
        size_t len;

        if (r < 0 && errno != EINTR)
            break;
        if (r == 0 && !domain_alive(ts, domid))
            break;
        if (pfd[0].revents & POLLIN) {
            xenevtchn_port_or_error_t p = xenevtchn_pending(xce);

            if (p >= 0)
                xenevtchn_unmask(xce, (evtchn_port_t)p);
        }
        if (drain_output(ring))
            xenevtchn_notify(xce, (evtchn_port_t)local);
        if (pfd[1].revents & (POLLIN | POLLHUP)) {
            bool more = read_keys(buf, sizeof(buf), &len);

            if (len && consring_put(ring, buf, len))
                xenevtchn_notify(xce, (evtchn_port_t)local);
            if (!more)
                break;
        }
    }
    rc = 0;
out:
    terminal_restore(&term);
    if (local >= 0)
        xenevtchn_unbind(xce, (evtchn_port_t)local);
    xenevtchn_close(xce);
    return rc;
}

int console_run(struct toolstack *ts, uint32_t domid, bool follow, FILE *err)
{
    xenforeignmemory_handle *fmem = NULL;
    struct xencons_interface *ring = NULL;
    struct ring_info ri;
    xen_pfn_t frame;
    int rc = 1;

    if (find_ring(ts, domid, follow, &ri, err) < 0)
        return 1;
    fmem = xenforeignmemory_open(NULL, 0);
    if (!fmem) {
        fprintf(err, "chaos: cannot open the foreign memory interface: %s\n",
                strerror(errno));
        goto out;
    }
    frame = (xen_pfn_t)ri.mfn;
    ring = xenforeignmemory_map(fmem, domid,
                                follow && !ri.tty ? PROT_READ | PROT_WRITE
                                                  : PROT_READ,
                                1, &frame, NULL);
    if (!ring) {
        fprintf(err, "chaos: domain %u: cannot map its console ring: %s\n",
                domid, strerror(errno));
        goto out;
    }
    /* Following prints its own history: xenconsoled's pty replays what
     * it holds, and the ring path prints what was read before. */
    if (!follow) {
        char buf[CONSRING_OUT_SIZE];

        print_out(buf, consring_all(ring, buf));
        rc = 0;
    } else if (ri.tty)
        rc = follow_pty(ts, domid, ri.tty, err);
    else
        rc = follow_ring(ts, domid, ring, ri.port, err);
out:
    if (ring)
        xenforeignmemory_unmap(fmem, ring, 1);
    if (fmem)
        xenforeignmemory_close(fmem);
    free(ri.tty);
    return rc;
}

/* Writes the console data message of N bytes at MSG to stdout; false
 * after saying why when it is not one. */
static bool print_data(const unsigned char *msg, size_t n, FILE *err)
{
    struct chaosd_msg m;
    const char *why;

    if (chaosd_decode(msg, n, 0, &m, &why) != 0) {
        fprintf(err, "chaos: chaosd sent a bad console message: %s\n", why);
        return false;
    }
    if (m.hdr.type != CHAOSD_CONSOLE_DATA) {
        fprintf(err, "chaos: chaosd sent a bad console message: not "
                "console data\n");
        return false;
    }
    return fd_write_all(STDOUT_FILENO, m.u.data.bytes, m.u.data.len) == 0;
}

int console_chaosd(int fd, uint32_t domid, bool follow, FILE *err)
{
    static unsigned char buf[CHAOSD_MSG_MAX];
    struct terminal term = { 0 };
    struct chaosd_msg reply;
    char keys[1024];
    size_t len;
    int rc = 1;

    len = chaosd_encode_console(buf, sizeof(buf), 1, domid,
                                follow ? CHAOSD_CONSOLE_FOLLOW : 0);
    if (client_call(fd, buf, len, NULL, 0, false, buf, &reply, err) < 0)
        return 1;
    if (reply.u.reply.status == CHAOSD_STATUS_ELSEWHERE)
        return CONSOLE_ELSEWHERE;
    if (reply.u.reply.status != 0)
        return client_finish(&reply, stdout, err);
    if (follow)
        terminal_raw(&term);
    for (;;) {
        struct pollfd pfd[2] = {
            { .fd = fd, .events = POLLIN },
            { .fd = follow ? STDIN_FILENO : -1, .events = POLLIN },
        };
        ssize_t n;

        if (poll(pfd, 2, -1) < 0 && errno != EINTR) {
            fprintf(err, "chaos: poll: %s\n", strerror(errno));
            break;
        }
        if (pfd[0].revents) {
            n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
            if (n == 0) {               /* the domain is gone: done */
                rc = 0;
                break;
            }
            if (n < 0 || (size_t)n > sizeof(buf)) {
                fprintf(err, "chaos: domain %u: reading its console from "
                        "chaosd failed: %s\n", domid,
                        n < 0 ? strerror(errno) : "message too long");
                break;
            }
            if (!print_data(buf, (size_t)n, err))
                break;
        }
        if (pfd[1].revents & (POLLIN | POLLHUP)) {
            bool more = read_keys(keys, sizeof(keys), &len);
            size_t m = len ? chaosd_encode_console_data(buf, sizeof(buf),
                                                        keys, len) : 0;

            if (m && send(fd, buf, m, MSG_NOSIGNAL) < 0) {
                fprintf(err, "chaos: domain %u: sending to its console "
                        "through chaosd failed: %s\n", domid,
                        strerror(errno));
                break;
            }
            if (!more) {
                rc = 0;
                break;
            }
        }
    }
    terminal_restore(&term);
    return rc;
}
