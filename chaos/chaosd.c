/*
 * chaosd: the chaos daemon. It owns the toolstack's state while it runs:
 * it makes domains for chaos create (in shells from its pools when their
 * shape matches), destroys them, and carries out every chaos domain's
 * on_poweroff / on_reboot / on_crash action when Xen reports that it shut
 * down, with one watcher for all domains. See chaos/README.md, "chaosd".
 *
 * Without xenstored (so without xenconsoled), it also serves every chaos
 * guest's console (conserv.c).
 *
 * One thread serves the socket, the domain events and the consoles; the
 * pools' refill thread (pool.c) makes shells beside it, and the reaper's
 * (reaper.c) finishes destroys. A request is handled to the end before the
 * next is read: each takes milliseconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "chaosd_msg.h"
#include "client.h"
#include "conserv.h"
#include "daemonlog.h"
#include "imgcache.h"
#include "pool.h"
#include "reaper.h"
#include "sockserv.h"
#include "state.h"
#include "timing.h"
#include "toolstack.h"
#include "xlcfg.h"
#include "xsreg.h"

#include <xenevtchn.h>

#define DEFAULT_CONFIG "/etc/chaos/chaosd.conf"
#define MAX_CLIENTS 256
#define MAX_ALLOWED_UIDS 16
/* Every so often the domains are looked at even without an event, in
 * case one was missed. */
#define SWEEP_MS 5000
/* A domain event is taken in (domains_changed: a listing of every domain,
 * the records, the pools) once the clients leave chaosd EVENTS_QUIET_MS
 * of quiet, or EVENTS_LATEST_MS after it came, so that this work runs
 * between requests rather than in front of one: each destroy's event
 * comes as the next request may arrive. */
#define EVENTS_QUIET_MS 2
#define EVENTS_LATEST_MS 50

struct options {
    const char *config;         /* NULL: DEFAULT_CONFIG if it exists */
    char *socket_path;
    char *state_dir;
    char *pool;
    char *pool_memory;
    char *console_log;
    char *devices;              /* "noxs" or "xenstore"; NULL: noxs */
    bool syslog;
    uid_t allowed[MAX_ALLOWED_UIDS];
    size_t n_allowed;
};

struct daemon {
    struct options opt;
    struct toolstack ts;
    int lock_fd, listen_fd, signal_fd;
    /* Domain events: VIRQ_DOM_EXC when this domain may bind it, else
     * xenstored's @releaseDomain watch (xenstored binds the VIRQ) on a
     * connection of its own, WATCH_FD. */
    xenevtchn_handle *xce;
    xenevtchn_port_or_error_t virq_port;
    int watch_fd;
    struct conserv *cs;         /* NULL when xenconsoled's to serve them */
    struct imgcache images;     /* the kernels clients passed */
    struct reaper *reaper;      /* finishes what handle_destroy begins */
    int clients[MAX_CLIENTS];
    size_t n_clients;
    unsigned char buf[CHAOSD_MSG_MAX];
    unsigned char reply[CHAOSD_MSG_MAX];
};

/* --- options and configuration ----------------------------------------- */

static void usage(FILE *out)
{
    fprintf(out,
"Usage: chaosd [OPTION]...\n"
"The chaos daemon: makes and destroys Xen domains for chaos, keeps pools of\n"
"pre-made domain shells, carries out domains' on_* shutdown actions and,\n"
"when no xenstored runs, serves its guests' consoles.\n"
"\n"
"  -c, --config FILE     read settings from FILE (default %s,\n"
"                        if it exists); options given here win\n"
"  -s, --socket PATH     listen on PATH (default STATE-DIR/chaosd.sock);\n"
"                        chaos looks there, or where $CHAOSD_SOCKET says\n"
"  -d, --state-dir DIR   chaos's state folder (default $CHAOS_STATE_DIR or\n"
"                        %s); chaos finds the socket there\n"
"  -p, --pool SPEC       shell pools: MEM[/VCPUS]:SIZE,... e.g. 8M:32,64M:8\n"
"  -m, --pool-memory MEM the most memory all ready shells hold together,\n"
"                        e.g. 512M or 2G (default: no limit but the pools')\n"
"  -u, --allow-uid UID   also serve this user (root always); repeatable\n"
"  -L, --console-log DIR append each guest's console output to DIR/NAME.log\n"
"                        (consoles chaosd serves: those of its guests when\n"
"                        no xenstored runs; else xenconsoled serves them)\n"
"  -D, --devices MODEL   the device model of guests whose config names\n"
"                        none (devices = ...): noxs (the default: noxsd\n"
"                        serves their vifs) or xenstore (the kernel's\n"
"                        netback, through xenstored)\n"
"  -l, --syslog          log to syslog rather than stderr\n"
"  -h, --help            show this help\n"
"\n"
"The configuration file has xl.cfg's syntax, with the keys socket,\n"
"state_dir, pool, pool_memory, console_log, devices (strings), allow_uid\n"
"(a list of numbers) and log (\"stderr\" or \"syslog\"). chaosd runs in\n"
"the foreground; SIGTERM or SIGINT stops it, destroying its ready shells\n"
"and leaving guests running.\n",
            DEFAULT_CONFIG, STATE_DEFAULT_DIR);
}

static int add_uid(struct options *o, const char *text)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(text, &end, 10);
    if (errno || end == text || *end || v > 0xfffffffeUL) {
        fprintf(stderr, "chaosd: %s is not a user id\n", text);
        return -1;
    }
    if (o->n_allowed == MAX_ALLOWED_UIDS) {
        fprintf(stderr, "chaosd: at most %d users may be allowed\n",
                MAX_ALLOWED_UIDS);
        return -1;
    }
    o->allowed[o->n_allowed++] = (uid_t)v;
    return 0;
}

/* Reads the configuration file into O, for the settings not given on the
 * command line. A missing default file is no error. */
static int read_config(struct options *o)
{
    const char *path = o->config ? o->config : DEFAULT_CONFIG;
    const struct xlcfg_value *list;
    struct xlcfg cfg;
    const char *v;
    void *data = NULL;
    size_t len;
    FILE *f;
    int rc = -1;

    xlcfg_init(&cfg);
    f = fopen(path, "re");
    if (!f) {
        if (errno == ENOENT && !o->config)
            return 0;
        fprintf(stderr, "chaosd: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    data = malloc(1 << 20);
    len = data ? fread(data, 1, 1 << 20, f) : 0;
    if (!data || ferror(f) || len == 1 << 20) {
        fprintf(stderr, "chaosd: cannot read %s: %s\n", path,
                data ? "unreadable, or over 1 MiB" : "out of memory");
        goto out;
    }
    if (xlcfg_parse(&cfg, path, data, len, stderr) != 0)
        goto out;
    for (size_t i = 0; i < cfg.n_settings; i++) {
        const char *k = cfg.settings[i].name;

        if (strcmp(k, "socket") && strcmp(k, "state_dir") &&
            strcmp(k, "pool") && strcmp(k, "allow_uid") && strcmp(k, "log") &&
            strcmp(k, "console_log") && strcmp(k, "pool_memory") &&
            strcmp(k, "devices")) {
            fprintf(stderr, "chaosd: %s:%d: unknown setting %s\n", path,
                    cfg.settings[i].line, k);
            goto out;
        }
    }
#define STRING(key, field)                                                  \
    do {                                                                    \
        int e = xlcfg_get_string(&cfg, key, &v);                            \
        if (e == EINVAL) {                                                  \
            fprintf(stderr, "chaosd: %s: %s must be a string\n", path, key); \
            goto out;                                                       \
        }                                                                   \
        if (e == 0 && !o->field && !(o->field = strdup(v)))                 \
            goto out;                                                       \
    } while (0)
    STRING("socket", socket_path);
    STRING("state_dir", state_dir);
    STRING("pool", pool);
    STRING("pool_memory", pool_memory);
    STRING("console_log", console_log);
    STRING("devices", devices);
#undef STRING
    if (xlcfg_get_string(&cfg, "log", &v) == 0) {
        if (strcmp(v, "syslog") && strcmp(v, "stderr")) {
            fprintf(stderr, "chaosd: %s: log is \"stderr\" or \"syslog\"\n",
                    path);
            goto out;
        }
        o->syslog = o->syslog || strcmp(v, "syslog") == 0;
    }
    if (xlcfg_get_list(&cfg, "allow_uid", &list) == 0) {
        for (size_t i = 0; i < list->n_items; i++)
            if (list->items[i]->kind != XLCFG_STRING ||
                add_uid(o, list->items[i]->string) < 0)
                goto out;
    } else if (xlcfg_find(&cfg, "allow_uid")) {
        fprintf(stderr, "chaosd: %s: allow_uid must be a list such as "
                "[ 1000 ]\n", path);
        goto out;
    }
    rc = 0;
out:
    free(data);
    fclose(f);
    xlcfg_dispose(&cfg);
    return rc;
}

static int parse_args(struct options *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },
        { "socket", required_argument, NULL, 's' },
        { "state-dir", required_argument, NULL, 'd' },
        { "pool", required_argument, NULL, 'p' },
        { "pool-memory", required_argument, NULL, 'm' },
        { "allow-uid", required_argument, NULL, 'u' },
        { "console-log", required_argument, NULL, 'L' },
        { "devices", required_argument, NULL, 'D' },
        { "syslog", no_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int opt;

    while ((opt = getopt_long(argc, argv, "c:s:d:p:m:u:L:D:lh", longopts,
                              NULL)) != -1) {
        switch (opt) {
        case 'c': o->config = optarg; break;
        case 's': o->socket_path = strdup(optarg); break;
        case 'd': o->state_dir = strdup(optarg); break;
        case 'p': o->pool = strdup(optarg); break;
        case 'm': o->pool_memory = strdup(optarg); break;
        case 'u': if (add_uid(o, optarg) < 0) return 2; break;
        case 'L': o->console_log = strdup(optarg); break;
        case 'D': o->devices = strdup(optarg); break;
        case 'l': o->syslog = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "chaosd: unexpected argument %s\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    return -1;
}

/* --- the socket -------------------------------------------------------- */

static bool allowed(const struct daemon *d, uid_t uid)
{
    if (uid == 0)
        return true;
    for (size_t i = 0; i < d->opt.n_allowed; i++)
        if (d->opt.allowed[i] == uid)
            return true;
    return false;
}

static void send_reply(struct daemon *d, int fd, uint32_t seq, int status,
                       uint32_t domid, const char *err, size_t err_len,
                       const char *out, size_t out_len)
{
    size_t n;

    /* Texts too long for one message are cut, never the reply. */
    if (err_len > CHAOSD_MSG_MAX / 2)
        err_len = CHAOSD_MSG_MAX / 2;
    if (out_len > CHAOSD_MSG_MAX / 2 - 64)
        out_len = CHAOSD_MSG_MAX / 2 - 64;
    n = chaosd_encode_reply(d->reply, sizeof(d->reply), seq, status, domid,
                            err, err && memchr(err, '\0', err_len)
                                     ? strlen(err) : err_len,
                            out, out && memchr(out, '\0', out_len)
                                     ? strlen(out) : out_len);
    if (n && send(fd, d->reply, n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
        say("chaosd: cannot send a reply: %s\n", strerror(errno));
}

static void refuse(struct daemon *d, int fd, uint32_t seq, const char *why)
{
    char text[256];
    int n = snprintf(text, sizeof(text), "chaosd: bad request: %s\n", why);

    send_reply(d, fd, seq, 1, 0, text, (size_t)n, NULL, 0);
}

/* The descriptors MH brought: the first MAX into FDS (their count in
 * *N), the others closed at once. */
static void take_fds(struct msghdr *mh, int *fds, size_t max, size_t *n)
{
    *n = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
             i++) {
            int got;

            memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            if (*n < max)
                fds[(*n)++] = got;
            else
                close(got);
        }
    }
}

/* Reads and drops what FD has received (closing descriptors that came
 * with it), so that closing FD does not reset the connection before the
 * peer has read the reply. */
static void drain(int fd)
{
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(8 * sizeof(int))];
    } control;
    char byte;

    for (;;) {
        struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
        struct msghdr mh = {
            .msg_iov = &iov, .msg_iovlen = 1,
            .msg_control = control.space,
            .msg_controllen = sizeof(control.space),
        };
        size_t n;

        if (recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) <= 0)
            return;
        take_fds(&mh, NULL, 0, &n);
    }
}

/* Answers FD with an error and hangs up. */
static void refuse_and_close(struct daemon *d, int fd, const char *why)
{
    drain(fd);
    refuse(d, fd, 0, why);
    close(fd);
}

static void accept_clients(struct daemon *d)
{
    for (;;) {
        uid_t uid;
        pid_t pid;
        int fd = sockserv_accept("chaosd", d->listen_fd, &uid, &pid);

        if (fd < 0)
            return;
        if (!allowed(d, uid)) {
            say("chaosd: refused a client (uid %d, pid %d)\n", (int)uid,
                (int)pid);
            refuse_and_close(d, fd, "permission denied: chaosd serves root "
                             "and the users it allows (--allow-uid)");
            continue;
        }
        if (d->n_clients == MAX_CLIENTS) {
            refuse_and_close(d, fd, "too many clients; try again");
            continue;
        }
        d->clients[d->n_clients++] = fd;
    }
}

/* --- consoles ---------------------------------------------------------- */

/* Serves the console of the guest REC describes. It is also the
 * toolstack's hook for each domain it makes (a create, a restart), so the
 * console's channel is bound before the guest first runs: a guest with no
 * console backend drops what does not fit its ring, one whose backend is
 * connected waits for room. Its ring is mapped after the reply (run). */
static void serve_console(void *ctx, const struct state_domain *rec)
{
    struct daemon *d = ctx;

    conserv_add(d->cs, rec->domid, rec->uuid, rec->name, rec->console_mfn,
                rec->console_port);
}

/* The pool's hook for each shell it makes: its console channel is bound
 * now rather than on the create's path. */
static void prebind_console(void *ctx, const struct build_shell *shell)
{
    conserv_prebind(ctx, shell->domid, shell->console_port);
}

/* Stops serving the consoles of domains gone and serves those of the
 * chaos guests among INFOS (N, in domid order) not served yet: the guests
 * a starting chaosd adopts (ts_create's hook serves the ones it makes). */
static void sync_consoles(struct daemon *d, const xc_domaininfo_t *infos,
                          size_t n)
{
    struct state_domain rec;

    conserv_forget_gone(d->cs, infos, n);
    for (size_t i = 0; i < n; i++) {
        if (infos[i].domain == 0 || (infos[i].flags & XEN_DOMINF_dying) ||
            build_is_marked(infos[i].handle) ||
            conserv_knows(d->cs, infos[i].domain, infos[i].handle) ||
            state_load(&d->ts.state, infos[i].domain, &rec) != 0)
            continue;
        if (memcmp(rec.uuid, infos[i].handle, sizeof(rec.uuid)) == 0)
            serve_console(d, &rec);
        state_domain_free(&rec);
    }
}

/* --- requests ---------------------------------------------------------- */

/* What became of a client's connection after a request. */
enum served { SERVED_KEEP, SERVED_CLOSE, SERVED_HANDED_OVER };

static void handle_create(struct daemon *d, int fd, const struct chaosd_msg *m,
                          const int *fds, size_t n_fds)
{
    struct ts_files files = { .fds = fds, .n_fds = n_fds };
    char *source = strndup(m->u.create.source, m->u.create.source_len);
    char *err_text = NULL;
    size_t err_len = 0;
    FILE *err = open_memstream(&err_text, &err_len);
    uint32_t domid = 0;
    bool locked = false;
    int rc;

    if (!source || !err) {
        refuse(d, fd, m->hdr.seq, "out of memory");
        goto out;
    }
    timing_mark("chaosd: create request decoded");
    /* Held past the reply (ts_create's own locking nests in it), so that
     * releasing it is not on the create's path. ts_create reports a
     * failure to take it. */
    locked = state_lock(&d->ts.state) == 0;
    rc = ts_create_config(&d->ts, source, m->u.create.config,
                          m->u.create.config_len, &files,
                          m->u.create.flags & CHAOSD_CREATE_PAUSED, &domid,
                          err);
    fflush(err);                        /* closed after the reply */
    send_reply(d, fd, m->hdr.seq, rc, rc ? 0 : domid, err_text, err_len,
               NULL, 0);
    timing_mark("chaosd: replied");
    timing_flush();
out:
    if (locked)
        state_unlock(&d->ts.state);
    if (err)
        fclose(err);
    free(err_text);
    free(source);
}

/* On the reaper's thread: destroys DOMID, which handle_destroy ended as a
 * guest, and logs what failed. */
static void reap_destroyed(void *ctx, uint32_t domid)
{
    struct daemon *d = ctx;
    char *text = NULL;
    size_t len = 0;
    FILE *err = open_memstream(&text, &len);

    if (ts_destroy_finish(&d->ts, domid, err ? err : daemonlog_stream()) &&
        err)
        fputs("chaosd: it stays paused and marked; the next chaosd to "
              "start destroys it\n", err);
    if (err) {
        fclose(err);
        if (len)
            say("%s", text);
    }
    free(text);
}

/* Destroys the domain M names (DESTROY: a domid; DESTROY_NAMED: a domid
 * or a name, resolved as xl destroy resolves its argument). It replies
 * once the domain is no guest any more (ts_destroy_begin), then removes
 * its record and leaves the rest to the reaper. */
static void handle_destroy(struct daemon *d, int fd, const struct chaosd_msg *m)
{
    uint32_t domid = m->u.domid;
    xc_domaininfo_t info;
    char *err_text = NULL, *dom = NULL;
    size_t err_len = 0;
    FILE *err = open_memstream(&err_text, &err_len);
    bool begun = false;
    int rc;

    if (!err) {
        refuse(d, fd, m->hdr.seq, "out of memory");
        return;
    }
    if (m->hdr.type == CHAOSD_DESTROY_NAMED) {
        dom = strndup(m->u.named.domain, m->u.named.domain_len);
        if (!dom) {
            fclose(err);
            free(err_text);
            refuse(d, fd, m->hdr.seq, "out of memory");
            return;
        }
        if (ts_find_destroyable(&d->ts, dom,
                                m->u.named.flags & CHAOSD_DESTROY_FORCE,
                                &domid, err) < 0) {
            rc = 1;
            domid = 0;
            goto out;
        }
    }
    if (xc_domain_getinfolist(d->ts.xch, domid, 1, &info) != 1 ||
        info.domain != domid || reaper_has(d->reaper, domid) ||
        ((info.flags & XEN_DOMINF_dying) && pool_is_shell(info.handle))) {
        /* One being reaped, or reaped but still held by a mapping, is
         * gone as far as its destroyer was told. */
        fprintf(err, "chaos: domain %u does not exist\n", domid);
        rc = ERROR_DOMAIN_NOTFOUND;
    } else if (pool_is_shell(info.handle)) {
        fprintf(err, "chaos: domain %u is one of chaosd's shells, not a "
                "guest; chaosd destroys its shells when it stops\n", domid);
        rc = 1;
        goto out;
    } else {
        if (d->cs)                      /* our mapping would keep it */
            conserv_remove(d->cs, domid);
        if (info.flags & XEN_DOMINF_dying) {
            rc = ts_destroy(&d->ts, domid, err);    /* a zombie: try again */
        } else {
            rc = ts_destroy_begin(&d->ts, &info, err);
            begun = rc == 0;
        }
    }
    if (rc)
        fprintf(err, "destroy failed (rc=%d)\n", rc);
    rc = rc ? 1 : 0;
out:
    fclose(err);
    send_reply(d, fd, m->hdr.seq, rc, domid, err_text, err_len, NULL, 0);
    timing_mark("chaosd: destroy replied");
    if (begun) {
        state_remove(&d->ts.state, domid);
        if (reaper_add(d->reaper, domid) < 0)
            reap_destroyed(d, domid);
    }
    timing_mark("chaosd: destroy handed to the reaper");
    timing_flush();
    free(err_text);
    free(dom);
}

static void handle_pool(struct daemon *d, int fd, const struct chaosd_msg *m)
{
    char *out_text = NULL;
    size_t out_len = 0;
    FILE *out;

    if (!d->ts.pool) {
        static const char none[] = "chaosd keeps no pools (see chaosd "
                                   "--pool)\n";

        send_reply(d, fd, m->hdr.seq, 0, 0, NULL, 0, none, sizeof(none) - 1);
        return;
    }
    out = open_memstream(&out_text, &out_len);
    if (!out) {
        refuse(d, fd, m->hdr.seq, "out of memory");
        return;
    }
    pool_print(d->ts.pool, out);
    fclose(out);
    send_reply(d, fd, m->hdr.seq, 0, 0, NULL, 0, out_text, out_len);
    free(out_text);
}

/* Answers a console request on FD: attaches FD to the console when
 * chaosd serves it. Returns whether the console server took FD. */
static bool handle_console(struct daemon *d, int fd,
                           const struct chaosd_msg *m)
{
    uint32_t domid = m->u.console.domid;

    if (!d->cs || !conserv_serves(d->cs, domid)) {
        send_reply(d, fd, m->hdr.seq, CHAOSD_STATUS_ELSEWHERE, domid, NULL,
                   0, NULL, 0);
        return false;
    }
    send_reply(d, fd, m->hdr.seq, 0, domid, NULL, 0, NULL, 0);
    return conserv_attach(d->cs, domid, fd,
                          m->u.console.flags & CHAOSD_CONSOLE_FOLLOW);
}

/* Reads and answers one request of the client on FD, and says what is to
 * become of its connection: kept, closed (the client is gone, misbehaved,
 * or has all it asked for) or handed over to the console server. */
static enum served serve(struct daemon *d, int fd)
{
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(2 * sizeof(int))];
    } control;
    struct iovec iov = { .iov_base = d->buf, .iov_len = sizeof(d->buf) };
    struct msghdr mh = {
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = control.space, .msg_controllen = sizeof(control.space),
    };
    int fds[2] = { -1, -1 };
    size_t n_fds = 0;
    struct chaosd_msg m;
    const char *why;
    enum served to = SERVED_CLOSE;
    ssize_t n;

    n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    if (n < 0)
        return errno == EAGAIN || errno == EINTR ? SERVED_KEEP : SERVED_CLOSE;
    timing_mark("chaosd: request received");
    take_fds(&mh, fds, 2, &n_fds);
    if (n == 0)
        goto out;                       /* the client hung up */
    if (mh.msg_flags & MSG_TRUNC) {
        refuse(d, fd, 0, "message longer than CHAOSD_MSG_MAX");
        goto out;
    }
    if (mh.msg_flags & MSG_CTRUNC) {
        refuse(d, fd, 0, "more than two descriptors");
        goto out;
    }
    if (chaosd_decode(d->buf, (size_t)n, n_fds, &m, &why) != 0) {
        refuse(d, fd, 0, why);
        goto out;
    }
    if (d->ts.pool)
        pool_request(d->ts.pool, true);
    switch (m.hdr.type) {
    case CHAOSD_CREATE:
        handle_create(d, fd, &m, fds, n_fds);
        break;
    case CHAOSD_DESTROY:
    case CHAOSD_DESTROY_NAMED:
        handle_destroy(d, fd, &m);
        break;
    case CHAOSD_POOL:
        handle_pool(d, fd, &m);
        break;
    case CHAOSD_CONSOLE:
        to = handle_console(d, fd, &m) ? SERVED_HANDED_OVER : SERVED_CLOSE;
        goto done;
    default:
        refuse(d, fd, m.hdr.seq, "not a request");
        break;
    }
    to = m.hdr.type == CHAOSD_REPLY || m.hdr.type == CHAOSD_CONSOLE_DATA
             ? SERVED_CLOSE : SERVED_KEEP;
done:
    if (d->ts.pool)
        pool_request(d->ts.pool, false);
out:
    for (size_t i = 0; i < n_fds; i++)
        close(fds[i]);
    return to;
}

/* --- domain events ----------------------------------------------------- */

/* Starts watching for domains that shut down or die. */
static void watch_domains(struct daemon *d)
{
    d->virq_port = -1;
    d->xce = xenevtchn_open(NULL, 0);
    if (d->xce) {
        d->virq_port = xenevtchn_bind_virq(d->xce, VIRQ_DOM_EXC);
        if (d->virq_port >= 0)
            return;
        xenevtchn_close(d->xce);
        d->xce = NULL;
    }
    if (d->ts.xs && (d->watch_fd = xsreg_watch_domains()) >= 0)
        return;
    say("chaosd: cannot watch for domain events (no VIRQ_DOM_EXC, no "
        "xenstored); looking every %d ms\n", SWEEP_MS);
}

/* Carries out the shutdown actions, forgets domains that are gone and
 * lets the pools refill into the memory that came back; with STRAYS
 * (at start), first destroys the marked domains an earlier chaosd or chaos
 * left. */
static void domains_changed(struct daemon *d, bool strays)
{
    xc_domaininfo_t *infos = NULL;
    uint32_t *live;
    char **dirs;
    unsigned int n_dirs = 0;
    size_t n;

    ts_reap(&d->ts, daemonlog_stream());
    /* xenstore's domains before Xen's: see xsreg_sweep. One list of
     * Xen's, under the create lock, serves everything below. */
    dirs = d->ts.xs ? xsreg_domain_dirs(d->ts.xs, &n_dirs) : NULL;
    if (state_lock(&d->ts.state) == 0) {
        if (ts_list(&d->ts, &infos, &n) == 0) {
            if (strays)
                pool_discard_strays(d->ts.xch, infos, n, d->ts.xs != NULL,
                                    say);
            ts_forget_gone(&d->ts, infos, n, NULL, NULL);
            if (d->cs)
                sync_consoles(d, infos, n);
            if (d->ts.pool)
                pool_retain(d->ts.pool, infos, n);
            if (dirs && (live = calloc(n ? n : 1, sizeof(*live)))) {
                for (size_t i = 0; i < n; i++)
                    live[i] = infos[i].domain;
                xsreg_sweep(dirs, n_dirs, live, n);
                free(live);
            }
        }
        state_unlock(&d->ts.state);
    }
    free(dirs);
    free(infos);
    if (d->ts.pool)
        pool_kick(d->ts.pool);
}

static void drain_domain_events(struct daemon *d)
{
    if (d->xce) {
        xenevtchn_port_or_error_t port = xenevtchn_pending(d->xce);

        if (port >= 0)
            xenevtchn_unmask(d->xce, (evtchn_port_t)port);
    } else if (d->watch_fd >= 0 && xsreg_drain_watch(d->watch_fd) < 0) {
        say("chaosd: xenstored closed the @releaseDomain watch; looking "
            "every %d ms\n", SWEEP_MS);
        close(d->watch_fd);
        d->watch_fd = -1;
    }
}

/* --- main -------------------------------------------------------------- */

/* Forgets client I, closing its connection unless CLOSE is false. */
static void drop_client(struct daemon *d, size_t i, bool close_it)
{
    if (close_it)
        close(d->clients[i]);
    d->clients[i] = d->clients[--d->n_clients];
}

/* Serves a request of client I (none there yet: it waits), then drops
 * the client if it is gone or handed over. Moves the last client into
 * slot I when it drops one, so callers walk the clients from the last. */
static void serve_client(struct daemon *d, size_t i)
{
    enum served to = serve(d, d->clients[i]);

    if (to != SERVED_KEEP)
        drop_client(d, i, to == SERVED_CLOSE);
}

/* Milliseconds on the coarse monotonic clock, which the vDSO reads
 * without a system call where the fine one makes one (a Xen PV dom0). */
static long monotonic_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
    return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Serves until a signal asks it to stop. The sweep runs on every domain
 * event (see EVENTS_QUIET_MS) and at the latest SWEEP_MS after the last
 * one, however busy the clients keep the socket: deadlines, not a poll
 * timeout that any client request would restart. */
static int run(struct daemon *d)
{
    struct pollfd pfd[4 + CONSERV_MAX_CLIENTS + MAX_CLIENTS];
    long next_sweep = monotonic_ms() + SWEEP_MS;
    long events_due = 0;                /* 0: no domain event waits */

    for (;;) {
        size_t n = 0, first_attached, first_client;
        int events_fd = d->xce ? xenevtchn_fd(d->xce) : d->watch_fd;
        long now = monotonic_ms(), wait_ms = next_sweep - now;
        int r;

        if (events_due) {
            if (wait_ms > events_due - now)
                wait_ms = events_due - now;
            if (wait_ms > EVENTS_QUIET_MS)
                wait_ms = EVENTS_QUIET_MS;
        }

        /* The consoles of the domains made since: after the reply. */
        if (d->cs)
            conserv_map_rings(d->cs);
        pfd[n++] = (struct pollfd){ .fd = d->signal_fd, .events = POLLIN };
        pfd[n++] = (struct pollfd){ .fd = d->listen_fd, .events = POLLIN };
        pfd[n++] = (struct pollfd){ .fd = events_fd, .events = POLLIN };
        pfd[n++] = (struct pollfd){ .fd = d->cs ? conserv_fd(d->cs) : -1,
                                    .events = POLLIN };
        first_attached = n;
        if (d->cs)
            n += conserv_poll_clients(d->cs, pfd + n, CONSERV_MAX_CLIENTS);
        first_client = n;
        for (size_t i = 0; i < d->n_clients; i++)
            pfd[n++] = (struct pollfd){ .fd = d->clients[i], .events = POLLIN };
        r = poll(pfd, n, wait_ms > 0 ? (int)wait_ms : 0);
        if (r < 0 && errno != EINTR) {
            say("chaosd: poll: %s\n", strerror(errno));
            return 1;
        }
        now = monotonic_ms();
        if (r > 0 && pfd[2].revents) {
            drain_domain_events(d);
            if (!events_due)
                events_due = now + EVENTS_LATEST_MS;
        }
        if (r == 0 || now >= next_sweep || (events_due && now >= events_due)) {
            domains_changed(d, false);
            next_sweep = monotonic_ms() + SWEEP_MS;
            events_due = 0;
        }
        if (r <= 0)
            continue;
        if (pfd[0].revents) {
            struct signalfd_siginfo si;

            if (read(d->signal_fd, &si, sizeof(si)) == sizeof(si)) {
                say("chaosd: stopping on signal %u\n", si.ssi_signo);
                return 0;
            }
        }
        if (pfd[3].revents)
            conserv_handle_events(d->cs);
        /* By descriptor: the attached set may have changed just above. */
        for (size_t i = first_attached; i < first_client; i++)
            if (pfd[i].revents)
                conserv_client_ready(d->cs, pfd[i].fd);
        /* Clients from the last one back, so that closing one (which
         * moves the last into its slot) skips none. */
        for (size_t i = n - first_client; i-- > 0;) {
            if (!pfd[first_client + i].revents)
                continue;
            serve_client(d, i);
        }
        if (pfd[1].revents) {
            size_t known = d->n_clients;

            accept_clients(d);
            /* A command connects once its request is ready and sends it
             * at once, so it is usually here already: serving it now
             * spares chaosd a second wakeup on the command's path. */
            for (size_t i = d->n_clients; i-- > known;)
                serve_client(d, i);
        }
    }
}

int main(int argc, char **argv)
{
    static struct daemon d;
    struct pool_spec specs[POOL_MAX_SPECS];
    const char *why;
    sigset_t sigs;
    uint64_t budget_kb = 0;
    enum domcfg_devices devices = DOMCFG_DEVICES_NOXS;
    int n_specs = 0, rc = 1, r;

    d.lock_fd = d.listen_fd = d.signal_fd = d.watch_fd = -1;
    r = parse_args(&d.opt, argc, argv);
    if (r >= 0)
        return r;
    if (read_config(&d.opt) < 0)
        return 1;
    if (d.opt.pool) {
        n_specs = pool_parse(d.opt.pool, specs, &why);
        if (n_specs < 0) {
            fprintf(stderr, "chaosd: bad pool specification \"%s\": %s\n",
                    d.opt.pool, why);
            return 1;
        }
    }
    if (d.opt.pool_memory &&
        pool_parse_memory(d.opt.pool_memory, &budget_kb, &why) < 0) {
        fprintf(stderr, "chaosd: bad pool memory \"%s\": %s\n",
                d.opt.pool_memory, why);
        return 1;
    }
    if (d.opt.devices && strcmp(d.opt.devices, "xenstore") == 0) {
        devices = DOMCFG_DEVICES_XENSTORE;
    } else if (d.opt.devices && strcmp(d.opt.devices, "noxs")) {
        fprintf(stderr, "chaosd: bad device model \"%s\": it is noxs or "
                "xenstore\n", d.opt.devices);
        return 1;
    }
    for (int i = 0; budget_kb && i < n_specs; i++) {
        if (specs[i].shape.target_kb > budget_kb) {
            fprintf(stderr, "chaosd: pool memory %s is less than one shell "
                    "of %llu MiB\n", d.opt.pool_memory,
                    (unsigned long long)(specs[i].shape.target_kb / 1024));
            return 1;
        }
    }
    if (d.opt.state_dir)
        setenv("CHAOS_STATE_DIR", d.opt.state_dir, 1);
    if (!d.opt.socket_path) {
        char path[PATH_MAX];

        if (client_socket_path(path, sizeof(path)) >= sizeof(path)) {
            fprintf(stderr, "chaosd: the socket path from CHAOSD_SOCKET or "
                    "the state folder is too long\n");
            return 1;
        }
        if (!(d.opt.socket_path = strdup(path)))
            return 1;
    }
    daemonlog_open("chaosd", d.opt.syslog);

    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &sigs, NULL) < 0 ||
        (d.signal_fd = signalfd(-1, &sigs, SFD_CLOEXEC)) < 0) {
        say("chaosd: cannot take signals: %s\n", strerror(errno));
        goto out;
    }
    signal(SIGPIPE, SIG_IGN);

    /* The state folder first: it holds the default socket. */
    if (ts_open(&d.ts, daemonlog_stream()) < 0)
        goto out;
    d.ts.devices = devices;
    d.ts.images = &d.images;
    d.lock_fd = sockserv_lock("chaosd", d.opt.socket_path);
    if (d.lock_fd < 0)
        goto out;
    if (!d.ts.xs) {
        d.cs = conserv_open(d.opt.console_log, say);
        if (!d.cs)
            goto out;
        d.ts.made = serve_console;
        d.ts.made_ctx = &d;
    } else if (d.opt.console_log) {
        say("chaosd: xenstored runs, so xenconsoled serves the consoles; "
            "--console-log has no effect (see xenconsoled --log)\n");
    }
    d.reaper = reaper_start(reap_destroyed, &d);
    if (!d.reaper) {
        say("chaosd: cannot start the reaper thread: %s\n", strerror(errno));
        goto out;
    }
    /* Before any client: what happened while no chaosd ran. */
    domains_changed(&d, true);
    if (n_specs > 0) {
        d.ts.pool = pool_start(d.ts.xch, specs, (size_t)n_specs, budget_kb,
                               d.ts.xs != NULL,
                               d.cs ? prebind_console : NULL, d.cs, say);
        if (!d.ts.pool) {
            say("chaosd: cannot start the pools\n");
            goto out;
        }
        d.ts.aside = aside_start();
        if (!d.ts.aside) {
            say("chaosd: cannot start the thread that writes records: %s\n",
                strerror(errno));
            goto out;
        }
    }
    watch_domains(&d);
    d.listen_fd = sockserv_listen("chaosd", d.opt.socket_path);
    if (d.listen_fd < 0)
        goto out;
    say("chaosd: listening on %s (%s xenstored, %s, %d pool%s%s%s)\n",
        d.opt.socket_path, d.ts.xs ? "with" : "without",
        d.xce ? "VIRQ_DOM_EXC" : d.watch_fd >= 0 ? "@releaseDomain"
                                               : "no domain events",
        n_specs, n_specs == 1 ? "" : "s", n_specs ? ": " : "",
        n_specs ? d.opt.pool : "");
    rc = run(&d);
out:
    if (d.listen_fd >= 0) {
        close(d.listen_fd);
        unlink(d.opt.socket_path);
    }
    while (d.n_clients)
        drop_client(&d, d.n_clients - 1, true);
    if (d.ts.pool) {                    /* its thread uses d.cs */
        pool_stop(d.ts.pool);
        d.ts.pool = NULL;
    }
    aside_stop(d.ts.aside);
    d.ts.aside = NULL;
    conserv_close(d.cs);
    reaper_stop(d.reaper);              /* finishes the destroys begun */
    if (d.xce)
        xenevtchn_close(d.xce);
    if (d.watch_fd >= 0)
        close(d.watch_fd);
    if (d.ts.xch)
        ts_close(&d.ts);
    imgcache_clear(&d.images);
    if (d.lock_fd >= 0)
        close(d.lock_fd);
    if (d.signal_fd >= 0)
        close(d.signal_fd);
    if (rc == 0)
        say("chaosd: stopped\n");
    free(d.opt.socket_path);
    free(d.opt.state_dir);
    free(d.opt.pool);
    free(d.opt.pool_memory);
    free(d.opt.console_log);
    free(d.opt.devices);
    return rc;
}
