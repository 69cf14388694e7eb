/*
 * noxsd: the NOXS vif backend (design: libnoxs/README.md; protocol:
 * noxsd_proto.h). One event loop serves the control socket, every vif's
 * event channel and every vif's TAP.
 *
 * A domain that dies without the toolstack removing its vifs is found by
 * a sweep every SWEEP_MS: its vifs are removed, so that the mappings of
 * its ring pages do not keep it a zombie.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xenctrl.h>

#include "daemonlog.h"
#include "noxsd_proto.h"
#include "sockserv.h"
#include "vif.h"

#define DEFAULT_SOCKET "/run/chaos/noxsd.sock"
#define DEFAULT_RUN_DIR "/run/xendevd"
#define MAX_VIFS 1024
#define MAX_CLIENTS 64
#define SWEEP_MS 1000

struct daemon {
    struct vif_env env;
    xc_interface *xch;
    uint16_t self;                      /* our domain id */
    int lock_fd, listen_fd, signal_fd;
    struct vif *vifs[MAX_VIFS];
    size_t n_vifs;
    int clients[MAX_CLIENTS];
    size_t n_clients;
};

static const char usage_text[] =
"Usage: noxsd [OPTION]...\n"
"The NOXS vif backend: serves the network devices of guests that chaos\n"
"creates without XenStore, through TAP interfaces vifDOMID.DEVID that\n"
"xendevd attaches to their bridges.\n"
"\n"
"  -s, --socket PATH     listen on PATH (default " DEFAULT_SOCKET ")\n"
"  -r, --run-dir DIR     write the TAP descriptions xendevd reads in DIR\n"
"                        (default " DEFAULT_RUN_DIR ", xendevd's)\n"
"  -l, --syslog          log to syslog instead of stderr\n"
"  -h, --help            show this help and exit\n";

static void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void log_line(const char *fmt, ...)
{
    char line[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    say("%s", line);
}

static long monotonic_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static struct vif *find_vif(struct daemon *d, uint32_t domid, uint32_t devid)
{
    for (size_t i = 0; i < d->n_vifs; i++)
        if (d->vifs[i]->domid == domid && d->vifs[i]->devid == devid)
            return d->vifs[i];
    return NULL;
}

/* Removes every vif of DOMID; returns how many. */
static unsigned remove_domain(struct daemon *d, uint32_t domid)
{
    unsigned removed = 0;

    for (size_t i = d->n_vifs; i-- > 0;) {
        if (d->vifs[i]->domid != domid)
            continue;
        vif_remove(&d->env, d->vifs[i]);
        d->vifs[i] = d->vifs[--d->n_vifs];
        removed++;
    }
    return removed;
}

static void reply(int fd, uint32_t seq, const struct noxsd_reply *r)
{
    struct {
        struct noxsd_hdr h;
        struct noxsd_reply r;
    } m = {
        .h = { .magic = NOXSD_MAGIC, .version = NOXSD_VERSION,
               .type = NOXSD_REPLY, .seq = seq, .len = sizeof(m.r) },
        .r = *r,
    };

    /* A client that cannot take a 268-byte answer has gone: ignore it. */
    if (send(fd, &m, sizeof(m), MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
        return;
}

static void fail(struct noxsd_reply *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct noxsd_reply *r, int status, const char *fmt, ...)
{
    va_list ap;

    r->status = status;
    va_start(ap, fmt);
    vsnprintf(r->text, sizeof(r->text), fmt, ap);
    va_end(ap);
}

static void vif_add_request(struct daemon *d, const struct noxsd_vif_add *a,
                            struct noxsd_reply *r)
{
    char bridge[sizeof(a->bridge) + 1];
    struct vif *v;
    int e;

    memcpy(bridge, a->bridge, sizeof(a->bridge));
    bridge[sizeof(a->bridge)] = '\0';
    if (strnlen(a->bridge, sizeof(a->bridge)) == sizeof(a->bridge) ||
        bridge[0] == '\0' || strchr(bridge, '/') || strchr(bridge, '\n')) {
        fail(r, EINVAL, "domain %u, vif %u: not a bridge name", a->domid,
             a->devid);
        return;
    }
    if (a->domid == 0 || a->domid >= DOMID_FIRST_RESERVED) {
        fail(r, EINVAL, "%u is not a guest's domain id", a->domid);
        return;
    }
    if (a->mtu != 0 && a->mtu < 68) {
        fail(r, EINVAL, "domain %u, vif %u: MTU %u is below 68", a->domid,
             a->devid, a->mtu);
        return;
    }
    if (find_vif(d, a->domid, a->devid)) {
        fail(r, EEXIST, "domain %u already has vif %u", a->domid, a->devid);
        return;
    }
    if (d->n_vifs == MAX_VIFS) {
        fail(r, ENOSPC, "noxsd serves %d vifs, its most", MAX_VIFS);
        return;
    }
    v = vif_add(&d->env, a->domid, a->devid, a->guest_port, bridge, a->mtu,
                &e, r->text, sizeof(r->text));
    if (!v) {
        r->status = e;
        say("noxsd: domain %u, vif %u: %s\n", a->domid, a->devid, r->text);
        return;
    }
    d->vifs[d->n_vifs++] = v;
    r->ctrl_gref = v->ctrl_gref;
    r->backend_domid = d->self;
}

/* Reads and answers one request from client FD. False when the client
 * has gone (or sent something that is not our protocol). */
static bool serve(struct daemon *d, int fd)
{
    union {
        unsigned char bytes[sizeof(struct noxsd_hdr) + 64];
        struct noxsd_hdr h;
    } m;
    struct noxsd_reply r = { 0 };
    const void *body = m.bytes + sizeof(m.h);
    ssize_t n = recv(fd, m.bytes, sizeof(m.bytes), MSG_DONTWAIT);
    size_t want;

    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return true;
    if (n < (ssize_t)sizeof(m.h))
        return false;
    if (m.h.magic != NOXSD_MAGIC) {
        return false;
    }
    if (m.h.version != NOXSD_VERSION) {
        fail(&r, EPROTO, "protocol version %u; noxsd speaks %u", m.h.version,
             NOXSD_VERSION);
        goto out;
    }
    switch (m.h.type) {
    case NOXSD_VIF_ADD:
        want = sizeof(struct noxsd_vif_add);
        break;
    case NOXSD_DOMAIN_REMOVE:
        want = sizeof(struct noxsd_domain);
        break;
    default:
        fail(&r, EPROTO, "unknown request type %u", m.h.type);
        goto out;
    }
    if (m.h.len != want || (size_t)n != sizeof(m.h) + want) {
        fail(&r, EPROTO, "a request of type %u with %zd bytes of body; it "
             "has %zu", m.h.type, n - (ssize_t)sizeof(m.h), want);
        goto out;
    }
    if (m.h.type == NOXSD_VIF_ADD) {
        struct noxsd_vif_add a;

        memcpy(&a, body, sizeof(a));
        vif_add_request(d, &a, &r);
    } else {
        struct noxsd_domain dom;

        memcpy(&dom, body, sizeof(dom));
        remove_domain(d, dom.domid);
    }
out:
    reply(fd, m.h.seq, &r);
    return true;
}

static void accept_clients(struct daemon *d)
{
    for (;;) {
        uid_t uid;
        pid_t pid;
        int fd = sockserv_accept("noxsd", d->listen_fd, &uid, &pid);

        if (fd < 0)
            return;
        if (uid != 0 || d->n_clients == MAX_CLIENTS) {
            say("noxsd: refused a client (uid %d, pid %d)%s\n", (int)uid,
                (int)pid, uid == 0 ? ": too many clients" : "");
            close(fd);
            continue;
        }
        d->clients[d->n_clients++] = fd;
    }
}

/* Removes the vifs of domains that are gone or dying. */
static void sweep(struct daemon *d)
{
    for (size_t i = 0; i < d->n_vifs; i++) {
        uint32_t domid = d->vifs[i]->domid;
        xc_domaininfo_t info;
        int n = xc_domain_getinfolist(d->xch, domid, 1, &info);

        if (n < 0)
            continue;                   /* cannot tell: try again later */
        if (n == 1 && info.domain == domid &&
            !(info.flags & XEN_DOMINF_dying))
            continue;
        say("noxsd: domain %u is gone; removed its %u vif(s)\n", domid,
            remove_domain(d, domid));
        i = (size_t)-1;                 /* the table changed: start over */
    }
}

/* Handles one pending port: the descriptor stays readable while more are
 * pending, and xenevtchn_pending blocks when none is. */
static void handle_event(struct daemon *d)
{
    xenevtchn_port_or_error_t port = xenevtchn_pending(d->env.xce);

    if (port < 0)
        return;
    xenevtchn_unmask(d->env.xce, (evtchn_port_t)port);
    for (size_t k = 0; k < d->n_vifs; k++)
        if (d->vifs[k]->port == (evtchn_port_t)port) {
            vif_event(&d->env, d->vifs[k]);
            return;
        }
}

static int run(struct daemon *d)
{
    static struct pollfd pfd[3 + MAX_CLIENTS + MAX_VIFS];
    static struct vif *tap_of[MAX_VIFS];
    long next_sweep = monotonic_ms() + SWEEP_MS;

    for (;;) {
        size_t n = 0, first_client, first_tap, n_taps = 0;
        long wait_ms = next_sweep - monotonic_ms();
        int r;

        pfd[n++] = (struct pollfd){ .fd = d->signal_fd, .events = POLLIN };
        pfd[n++] = (struct pollfd){ .fd = d->listen_fd, .events = POLLIN };
        pfd[n++] = (struct pollfd){ .fd = xenevtchn_fd(d->env.xce),
                                    .events = POLLIN };
        first_client = n;
        for (size_t i = 0; i < d->n_clients; i++)
            pfd[n++] = (struct pollfd){ .fd = d->clients[i], .events = POLLIN };
        first_tap = n;
        for (size_t i = 0; i < d->n_vifs; i++)
            if (vif_wants_tap(d->vifs[i])) {
                tap_of[n_taps++] = d->vifs[i];
                pfd[n++] = (struct pollfd){ .fd = d->vifs[i]->tap,
                                            .events = POLLIN };
            }
        for (size_t i = 0; i < d->n_vifs; i++)
            if (d->vifs[i]->again)
                wait_ms = 0;
        r = poll(pfd, n, wait_ms > 0 ? (int)wait_ms : 0);
        if (r < 0 && errno != EINTR) {
            say("noxsd: poll: %s\n", strerror(errno));
            return 1;
        }
        if (monotonic_ms() >= next_sweep) {
            sweep(d);
            next_sweep = monotonic_ms() + SWEEP_MS;
        }
        for (size_t i = 0; i < d->n_vifs; i++)
            if (d->vifs[i]->again)
                vif_event(&d->env, d->vifs[i]);
        if (r <= 0)
            continue;
        if (pfd[0].revents) {
            struct signalfd_siginfo si;

            if (read(d->signal_fd, &si, sizeof(si)) == sizeof(si)) {
                say("noxsd: stopping on signal %u\n", si.ssi_signo);
                return 0;
            }
        }
        if (pfd[2].revents)
            handle_event(d);
        /* The TAPs before the clients: a request may remove a vif. */
        for (size_t i = 0; i < n_taps; i++)
            if (pfd[first_tap + i].revents)
                vif_tap_ready(&d->env, tap_of[i]);
        for (size_t i = d->n_clients; i-- > 0;)
            if (pfd[first_client + i].revents && !serve(d, d->clients[i])) {
                close(d->clients[i]);
                d->clients[i] = d->clients[--d->n_clients];
            }
        if (pfd[1].revents)
            accept_clients(d);
    }
}

/* Makes DIR (one level) if missing, owner-writable only, as xendevd
 * requires of its run folder. */
static int make_run_dir(const char *dir)
{
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        say("noxsd: cannot make %s: %s\n", dir, strerror(errno));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "socket", required_argument, NULL, 's' },
        { "run-dir", required_argument, NULL, 'r' },
        { "syslog", no_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static struct daemon d;
    const char *socket_path = DEFAULT_SOCKET;
    bool use_syslog = false;
    sigset_t sigs;
    int c, rc = 1;

    d.env.run_dir = DEFAULT_RUN_DIR;
    d.env.log = log_line;
    d.lock_fd = d.listen_fd = d.signal_fd = -1;
    while ((c = getopt_long(argc, argv, "s:r:lh", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            socket_path = optarg;
            break;
        case 'r':
            d.env.run_dir = optarg;
            break;
        case 'l':
            use_syslog = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            fputs("Try 'noxsd --help'.\n", stderr);
            return 1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "noxsd: unexpected argument '%s'\nTry 'noxsd "
                "--help'.\n", argv[optind]);
        return 1;
    }
    daemonlog_open("noxsd", use_syslog);
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigprocmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    d.signal_fd = signalfd(-1, &sigs, SFD_CLOEXEC);
    d.xch = xc_interface_open(NULL, NULL, 0);
    d.env.xce = xenevtchn_open(NULL, 0);
    d.env.xgt = xengnttab_open(NULL, 0);
    d.env.xgs = xengntshr_open(NULL, 0);
    if (d.signal_fd < 0 || !d.xch || !d.env.xce || !d.env.xgt || !d.env.xgs) {
        say("noxsd: cannot open %s: %s (run it as root in dom0, with the "
            "xen-evtchn, xen-gntdev and xen-gntalloc modules loaded)\n",
            d.signal_fd < 0 ? "a signalfd" : !d.xch ? "privcmd"
            : !d.env.xce ? "/dev/xen/evtchn" : !d.env.xgt ? "/dev/xen/gntdev"
            : "/dev/xen/gntalloc", strerror(errno));
        goto out;
    }
    if (xengnttab_set_max_grants(d.env.xgt, 2 * MAX_VIFS) < 0)
        say("noxsd: cannot raise the grant mapping limit: %s\n",
            strerror(errno));
    d.self = 0;
    if (make_run_dir(d.env.run_dir) < 0)
        goto out;
    d.lock_fd = sockserv_lock("noxsd", socket_path);
    if (d.lock_fd < 0)
        goto out;
    d.listen_fd = sockserv_listen("noxsd", socket_path);
    if (d.listen_fd < 0)
        goto out;
    say("noxsd: listening on %s, TAP descriptions in %s\n", socket_path,
        d.env.run_dir);
    rc = run(&d);
out:
    while (d.n_vifs)
        vif_remove(&d.env, d.vifs[--d.n_vifs]);
    while (d.n_clients)
        close(d.clients[--d.n_clients]);
    if (d.listen_fd >= 0) {
        close(d.listen_fd);
        unlink(socket_path);
    }
    if (d.lock_fd >= 0)
        close(d.lock_fd);
    if (d.env.xgs)
        xengntshr_close(d.env.xgs);
    if (d.env.xgt)
        xengnttab_close(d.env.xgt);
    if (d.env.xce)
        xenevtchn_close(d.env.xce);
    if (d.xch)
        xc_interface_close(d.xch);
    if (d.signal_fd >= 0)
        close(d.signal_fd);
    if (rc == 0)
        say("noxsd: stopped\n");
    return rc;
}
