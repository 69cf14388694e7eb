/*
 * conserv: chaosd's console server. See conserv.h.
 *
 * The rings are read and written only through consring, which treats the
 * guest's indices as untrusted. Attached clients are chaosd's own callers
 * (SO_PEERCRED-checked), but their messages are still decoded and checked
 * with chaosd_decode before a byte reaches a guest.
 */
#include "conserv.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xenevtchn.h>
#include <xenforeignmemory.h>

#include "chaosd_msg.h"
#include "consring.h"
#include "fdio.h"

struct console {
    uint32_t domid;
    uint8_t handle[16];
    bool served;                /* false: left to another program */
    char name[64];              /* for log lines (cut if longer) */
    uint64_t mfn;               /* the ring's frame */
    struct xencons_interface *ring;     /* NULL until mapped (ready) */
    evtchn_port_t local;        /* our end of the console channel */
    char *hist;                 /* CONSERV_HISTORY bytes, circular */
    uint64_t total;             /* bytes ever kept: the next goes at
                                   hist[total % CONSERV_HISTORY] */
    int log_fd;                 /* -1: no log */
};

struct client {
    int fd;
    uint32_t domid;
    /* Input the guest's ring had no room for: the rest of one
     * CONSOLE_DATA message. While any is left, FD is not read. */
    char *pend;
    size_t pend_off, pend_len;
};

/* A shell's console channel, bound before any create took the shell. */
struct prebound {
    uint32_t domid;
    uint32_t port;              /* the shell's end */
    evtchn_port_t local;        /* ours */
};

struct conserv {
    conserv_say *say;
    xenevtchn_handle *xce;
    /* Guards the prebound list alone: conserv_prebind comes from the
     * pool's thread. Never held across a call into Xen but unbinds. */
    pthread_mutex_t pre_lock;
    struct prebound *pre;
    size_t n_pre, cap_pre;
    xenforeignmemory_handle *fmem;
    int log_dir;                /* -1: no logs */
    struct console *cons;
    size_t n_cons, cap_cons;
    size_t n_unmapped;          /* served consoles whose ring is not mapped */
    struct client clients[CONSERV_MAX_CLIENTS];
    size_t n_clients;
    unsigned char msg[CHAOSD_MSG_MAX];
};

struct conserv *conserv_open(const char *log_dir, conserv_say *say)
{
    struct conserv *cs = calloc(1, sizeof(*cs));
    int flags;

    if (!cs) {
        say("chaosd: consoles: out of memory\n");
        return NULL;
    }
    cs->say = say;
    cs->log_dir = -1;
    pthread_mutex_init(&cs->pre_lock, NULL);
    cs->xce = xenevtchn_open(NULL, 0);
    cs->fmem = xenforeignmemory_open(NULL, 0);
    if (!cs->xce || !cs->fmem) {
        say("chaosd: consoles: cannot open /dev/xen/evtchn or "
            "/dev/xen/privcmd: %s\n", strerror(errno));
        goto fail;
    }
    /* Non-blocking, so that the pending ports can be read to the end. */
    flags = fcntl(xenevtchn_fd(cs->xce), F_GETFL);
    if (flags < 0 ||
        fcntl(xenevtchn_fd(cs->xce), F_SETFL, flags | O_NONBLOCK) < 0) {
        say("chaosd: consoles: cannot set up the event channel "
            "descriptor: %s\n", strerror(errno));
        goto fail;
    }
    if (log_dir) {
        if (mkdir(log_dir, 0700) < 0 && errno != EEXIST) {
            say("chaosd: cannot make the console log folder %s: %s\n",
                log_dir, strerror(errno));
            goto fail;
        }
        cs->log_dir = open(log_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cs->log_dir < 0) {
            say("chaosd: cannot open the console log folder %s: %s\n",
                log_dir, strerror(errno));
            goto fail;
        }
    }
    return cs;
fail:
    conserv_close(cs);
    return NULL;
}

int conserv_fd(const struct conserv *cs)
{
    return xenevtchn_fd(cs->xce);
}

static struct console *find(const struct conserv *cs, uint32_t domid)
{
    for (size_t i = 0; i < cs->n_cons; i++)
        if (cs->cons[i].domid == domid)
            return &cs->cons[i];
    return NULL;
}

/* Sends LEN bytes at P to client FD as console data messages; false when
 * the client cannot take them (gone, or too far behind). */
static bool send_data(struct conserv *cs, int fd, const char *p, size_t len)
{
    do {
        size_t part = len < CHAOSD_DATA_MAX ? len : CHAOSD_DATA_MAX;
        size_t n = chaosd_encode_console_data(cs->msg, sizeof(cs->msg), p,
                                              part);

        if (!n || send(fd, cs->msg, n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
            return false;
        p += part;
        len -= part;
    } while (len);
    return true;
}

static void detach(struct conserv *cs, size_t i)
{
    close(cs->clients[i].fd);
    free(cs->clients[i].pend);
    cs->clients[i] = cs->clients[--cs->n_clients];
}

/* Puts what it can of CL's pending input into C's ring; true when some
 * went in (the guest is then to be notified). */
static bool put_pending(struct console *c, struct client *cl)
{
    size_t n = consring_put(c->ring, cl->pend + cl->pend_off,
                            cl->pend_len - cl->pend_off);

    cl->pend_off += n;
    if (cl->pend_off == cl->pend_len) {
        free(cl->pend);
        cl->pend = NULL;
        cl->pend_off = cl->pend_len = 0;
    }
    return n > 0;
}

/* Keeps the N bytes at P as C's newest output; with LOG, also appends
 * them to its log and sends them to its clients. */
static void keep(struct conserv *cs, struct console *c, const char *p,
                 size_t n, bool log)
{
    int r;

    for (size_t i = 0; i < n; i++)
        c->hist[(c->total + i) % CONSERV_HISTORY] = p[i];
    c->total += n;
    if (!log || !n)
        return;
    if (c->log_fd >= 0 && (r = fd_write_all(c->log_fd, p, n)) != 0) {
        cs->say("chaosd: domain %u (%s): cannot write its console log "
                "(%s); no longer logging it\n", c->domid, c->name,
                strerror(r));
        close(c->log_fd);
        c->log_fd = -1;
    }
    for (size_t i = cs->n_clients; i-- > 0;)
        if (cs->clients[i].domid == c->domid &&
            !send_data(cs, cs->clients[i].fd, p, n))
            detach(cs, i);
}

/* Takes in what C's guest wrote and lets it write more; gives it the
 * input that waited for room in its ring (the guest notifies when it has
 * read some). */
static void take_in(struct conserv *cs, struct console *c)
{
    char buf[CONSRING_OUT_SIZE];
    size_t n = consring_take(c->ring, buf);
    bool notify = n > 0;

    if (n)
        keep(cs, c, buf, n, true);
    for (size_t i = 0; i < cs->n_clients; i++)
        if (cs->clients[i].domid == c->domid && cs->clients[i].pend)
            notify |= put_pending(c, &cs->clients[i]);
    if (notify)
        xenevtchn_notify(cs->xce, c->local);
}

/* DIR/NAME.log for the log of NAME, with every byte of NAME but letters,
 * digits, '-', '_', '+' and inner dots made '_'. */
static int open_log(struct conserv *cs, const char *name)
{
    char file[sizeof(((struct console *)0)->name) + 8];
    size_t n = 0;

    for (const char *p = name; *p && n < sizeof(file) - 5; p++, n++) {
        char ch = *p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
                  ch == '+' || (ch == '.' && n > 0);

        file[n] = ok ? ch : '_';
    }
    if (n == 0)
        file[n++] = '_';
    memcpy(file + n, ".log", 5);
    return openat(cs->log_dir, file, O_WRONLY | O_APPEND | O_CREAT |
                  O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0640);
}

/* Stops serving C (after taking in its last output), hangs up on its
 * clients and forgets it. */
static void drop(struct conserv *cs, struct console *c)
{
    if (c->served && !c->ring)
        cs->n_unmapped--;
    if (c->served) {
        if (c->ring)
            take_in(cs, c);
        for (size_t i = cs->n_clients; i-- > 0;)
            if (cs->clients[i].domid == c->domid)
                detach(cs, i);
        xenevtchn_unbind(cs->xce, c->local);
    }
    if (c->ring)
        xenforeignmemory_unmap(cs->fmem, c->ring, 1);
    if (c->log_fd >= 0)
        close(c->log_fd);
    free(c->hist);
    *c = cs->cons[--cs->n_cons];
}

/* Maps served console C's ring, which conserv_add left for later, and
 * takes in what it holds; or, when it cannot, says why and leaves C alone.
 * Returns whether C is served. */
static bool map_ring(struct conserv *cs, struct console *c)
{
    char buf[CONSRING_OUT_SIZE];
    xen_pfn_t frame = (xen_pfn_t)c->mfn;

    cs->n_unmapped--;
    c->hist = malloc(CONSERV_HISTORY);
    c->ring = c->hist ? xenforeignmemory_map(cs->fmem, c->domid,
                                             PROT_READ | PROT_WRITE, 1,
                                             &frame, NULL)
                      : NULL;
    if (!c->ring) {
        cs->say("chaosd: domain %u (%s): console not served: cannot map "
                "its ring: %s\n", c->domid, c->name, strerror(errno));
        xenevtchn_unbind(cs->xce, c->local);
        free(c->hist);
        c->hist = NULL;
        c->served = false;
        return false;
    }
    if (cs->log_dir >= 0 && (c->log_fd = open_log(cs, c->name)) < 0)
        cs->say("chaosd: domain %u (%s): cannot open its console log: "
                "%s\n", c->domid, c->name, strerror(errno));
    /* What an earlier reader consumed is history (already in any log);
     * what nobody read yet is new. */
    keep(cs, c, buf, consring_consumed(c->ring, buf), false);
    take_in(cs, c);
    return true;
}

/* Whether C is served, its ring mapped now if it was not yet. */
static bool ready(struct conserv *cs, struct console *c)
{
    return c->served && (c->ring || map_ring(cs, c));
}

void conserv_map_rings(struct conserv *cs)
{
    for (size_t i = 0; cs->n_unmapped && i < cs->n_cons; i++)
        ready(cs, &cs->cons[i]);
}

/* Unbinds prebinding I and moves the last one into its slot. Called with
 * pre_lock held. */
static void drop_prebound(struct conserv *cs, size_t i)
{
    xenevtchn_unbind(cs->xce, cs->pre[i].local);
    cs->pre[i] = cs->pre[--cs->n_pre];
}

void conserv_prebind(struct conserv *cs, uint32_t domid, uint32_t port)
{
    xenevtchn_port_or_error_t local;
    struct prebound *more;

    local = xenevtchn_bind_interdomain(cs->xce, domid, port);
    if (local < 0) {
        cs->say("chaosd: shell domain %u: cannot bind its console channel "
                "ahead (%s); a create will\n", domid, strerror(errno));
        return;
    }
    pthread_mutex_lock(&cs->pre_lock);
    for (size_t i = 0; i < cs->n_pre; i++)
        if (cs->pre[i].domid == domid) {    /* an earlier shell's, dead */
            drop_prebound(cs, i);
            break;
        }
    if (cs->n_pre == cs->cap_pre) {
        size_t cap = cs->cap_pre ? 2 * cs->cap_pre : 16;

        more = realloc(cs->pre, cap * sizeof(*more));
        if (!more) {
            pthread_mutex_unlock(&cs->pre_lock);
            xenevtchn_unbind(cs->xce, (evtchn_port_t)local);
            return;
        }
        cs->pre = more;
        cs->cap_pre = cap;
    }
    cs->pre[cs->n_pre++] = (struct prebound){
        .domid = domid, .port = port, .local = (evtchn_port_t)local,
    };
    pthread_mutex_unlock(&cs->pre_lock);
}

/* Our end of DOMID's console channel PORT when conserv_prebind bound it,
 * now the caller's; -1 when it did not. A prebinding of DOMID for another
 * port (a shell that died, its domid taken again before the sweep) is
 * undone. */
static xenevtchn_port_or_error_t take_prebound(struct conserv *cs,
                                               uint32_t domid, uint32_t port)
{
    xenevtchn_port_or_error_t local = -1;

    pthread_mutex_lock(&cs->pre_lock);
    for (size_t i = 0; i < cs->n_pre; i++) {
        if (cs->pre[i].domid != domid)
            continue;
        if (cs->pre[i].port == port)
            local = (xenevtchn_port_or_error_t)cs->pre[i].local;
        else
            xenevtchn_unbind(cs->xce, cs->pre[i].local);
        cs->pre[i] = cs->pre[--cs->n_pre];
        break;
    }
    pthread_mutex_unlock(&cs->pre_lock);
    return local;
}

/* Whether DOMID is among the N domains INFOS (in domid order) and not
 * dying; with HANDLE, only when its handle is HANDLE. */
static bool alive_in(const xc_domaininfo_t *infos, size_t n, uint32_t domid,
                     const uint8_t *handle)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (infos[mid].domain < domid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && infos[lo].domain == domid &&
           !(infos[lo].flags & XEN_DOMINF_dying) &&
           (!handle || memcmp(infos[lo].handle, handle, 16) == 0);
}

void conserv_add(struct conserv *cs, uint32_t domid, const uint8_t handle[16],
                 const char *name, uint64_t mfn, uint32_t port)
{
    xenevtchn_port_or_error_t local;
    struct console *c;

    c = find(cs, domid);
    if (c)                              /* an earlier domain's */
        drop(cs, c);
    if (cs->n_cons == cs->cap_cons) {
        size_t cap = cs->cap_cons ? 2 * cs->cap_cons : 16;
        struct console *more = realloc(cs->cons, cap * sizeof(*more));

        if (!more) {
            cs->say("chaosd: domain %u (%s): console not served: out of "
                    "memory\n", domid, name);
            return;
        }
        cs->cons = more;
        cs->cap_cons = cap;
    }
    c = &cs->cons[cs->n_cons++];
    memset(c, 0, sizeof(*c));
    c->domid = domid;
    c->log_fd = -1;
    c->mfn = mfn;
    memcpy(c->handle, handle, sizeof(c->handle));
    snprintf(c->name, sizeof(c->name), "%s", name);
    /* Bound now (or with its shell), so that the guest finds its console
     * connected and waits for room rather than dropping output; mapped
     * later (ready). */
    local = take_prebound(cs, domid, port);
    if (local < 0)
        local = xenevtchn_bind_interdomain(cs->xce, domid, port);
    if (local < 0) {
        cs->say("chaosd: domain %u (%s): console not served: its event "
                "channel is bound by another program (%s)\n", domid, name,
                strerror(errno));
        return;
    }
    c->local = (evtchn_port_t)local;
    c->served = true;
    cs->n_unmapped++;
}

bool conserv_knows(const struct conserv *cs, uint32_t domid,
                   const uint8_t handle[16])
{
    const struct console *c = find(cs, domid);

    return c && memcmp(c->handle, handle, sizeof(c->handle)) == 0;
}

bool conserv_serves(const struct conserv *cs, uint32_t domid)
{
    const struct console *c = find(cs, domid);

    return c && c->served;
}

void conserv_forget_gone(struct conserv *cs, const xc_domaininfo_t *infos,
                         size_t n)
{
    /* From the last one back: drop moves the last into the slot. */
    for (size_t i = cs->n_cons; i-- > 0;)
        if (!alive_in(infos, n, cs->cons[i].domid, cs->cons[i].handle))
            drop(cs, &cs->cons[i]);
    /* A shell made after INFOS was read loses its prebinding here; its
     * create then binds. */
    pthread_mutex_lock(&cs->pre_lock);
    for (size_t i = cs->n_pre; i-- > 0;)
        if (!alive_in(infos, n, cs->pre[i].domid, NULL))
            drop_prebound(cs, i);
    pthread_mutex_unlock(&cs->pre_lock);
}

void conserv_remove(struct conserv *cs, uint32_t domid)
{
    struct console *c = find(cs, domid);

    if (c)
        drop(cs, c);
}

void conserv_handle_events(struct conserv *cs)
{
    xenevtchn_port_or_error_t port;

    while ((port = xenevtchn_pending(cs->xce)) >= 0) {
        xenevtchn_unmask(cs->xce, (evtchn_port_t)port);
        for (size_t i = 0; i < cs->n_cons; i++) {
            struct console *c = &cs->cons[i];

            if (!c->served || c->local != (evtchn_port_t)port)
                continue;
            if (c->ring)
                take_in(cs, c);
            else
                map_ring(cs, c);        /* takes in what is there */
            break;
        }
    }
}

bool conserv_attach(struct conserv *cs, uint32_t domid, int fd, bool follow)
{
    struct console *c = find(cs, domid);
    uint64_t start;
    size_t at, first;

    if (!c || !ready(cs, c))
        return false;
    start = c->total > CONSERV_HISTORY ? c->total - CONSERV_HISTORY : 0;
    at = (size_t)(start % CONSERV_HISTORY);
    first = (size_t)(c->total - start);
    if (first > CONSERV_HISTORY - at)
        first = CONSERV_HISTORY - at;
    if (!send_data(cs, fd, c->hist + at, first) ||
        !send_data(cs, fd, c->hist, (size_t)(c->total - start) - first))
        return false;
    if (!follow)
        return false;
    if (cs->n_clients == CONSERV_MAX_CLIENTS) {
        cs->say("chaosd: domain %u (%s): %d console clients attached "
                "already; this one gets the history only\n", domid, c->name,
                CONSERV_MAX_CLIENTS);
        return false;
    }
    cs->clients[cs->n_clients++] = (struct client){ .fd = fd, .domid = domid };
    return true;
}

size_t conserv_poll_clients(const struct conserv *cs, struct pollfd *pfd,
                            size_t max)
{
    size_t n = 0;

    /* A client whose input waits for the guest is not read (fd -1: poll
     * skips it), so that typing ahead is held back, not lost. */
    for (; n < cs->n_clients && n < max; n++)
        pfd[n] = (struct pollfd){
            .fd = cs->clients[n].pend ? -1 : cs->clients[n].fd,
            .events = POLLIN };
    return n;
}

void conserv_client_ready(struct conserv *cs, int fd)
{
    struct chaosd_msg m;
    struct console *c;
    struct client *cl;
    const char *why;
    ssize_t n;
    size_t i;

    for (i = 0; i < cs->n_clients && cs->clients[i].fd != fd; i++)
        ;
    if (i == cs->n_clients)
        return;
    /* Descriptors sent along are not taken: the kernel closes them. */
    n = recv(fd, cs->msg, sizeof(cs->msg), MSG_DONTWAIT | MSG_TRUNC);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0 || (size_t)n > sizeof(cs->msg) ||
        chaosd_decode(cs->msg, (size_t)n, 0, &m, &why) != 0 ||
        m.hdr.type != CHAOSD_CONSOLE_DATA) {
        detach(cs, i);                  /* hung up, or not console input */
        return;
    }
    c = find(cs, cs->clients[i].domid);
    if (!c || !ready(cs, c) || !m.u.data.len)
        return;
    /* What does not fit waits for the guest to read (take_in). */
    cl = &cs->clients[i];
    cl->pend = malloc(m.u.data.len);
    if (!cl->pend) {
        detach(cs, i);
        return;
    }
    memcpy(cl->pend, m.u.data.bytes, m.u.data.len);
    cl->pend_len = m.u.data.len;
    if (put_pending(c, cl))
        xenevtchn_notify(cs->xce, c->local);
}

void conserv_close(struct conserv *cs)
{
    if (!cs)
        return;
    while (cs->n_cons)
        drop(cs, &cs->cons[cs->n_cons - 1]);
    while (cs->n_clients)
        detach(cs, cs->n_clients - 1);
    free(cs->cons);
    while (cs->n_pre)
        xenevtchn_unbind(cs->xce, cs->pre[--cs->n_pre].local);
    free(cs->pre);
    pthread_mutex_destroy(&cs->pre_lock);
    if (cs->log_dir >= 0)
        close(cs->log_dir);
    if (cs->fmem)
        xenforeignmemory_close(cs->fmem);
    if (cs->xce)
        xenevtchn_close(cs->xce);
    free(cs);
}
