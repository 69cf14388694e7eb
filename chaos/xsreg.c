/*
 * xsreg: the xenstore entries of a chaos domain. See xsreg.h.
 *
 * The layout and permissions are libxl's (libxl__domain_make,
 * libxl__build_post, libxl__device_console_add; see
 * ../shared/notes/xen-4.17-internals.md section 1.6). The writes go
 * through xswire in one pipelined batch per transaction.
 */
#include "xsreg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "noxsdev.h"
#include "state.h"
#include "timing.h"
#include "xswire.h"

/* Consoles are read and written by xenconsoled up to this many bytes. */
#define CONSOLE_LIMIT "1048576"

/* xenstored's socket, found as libxenstore finds it (XENSTORED_PATH, else
 * XENSTORED_RUNDIR or /var/run/xenstored, then /socket). */
static bool socket_path(char *buf, size_t size)
{
    const char *path = getenv("XENSTORED_PATH");
    const char *rundir = getenv("XENSTORED_RUNDIR");
    int n;

    if (path)
        n = snprintf(buf, size, "%s", path);
    else
        n = snprintf(buf, size, "%s/socket",
                     rundir ? rundir : "/var/run/xenstored");
    return n > 0 && (size_t)n < size;
}

static int connect_wire(struct xswire *xw)
{
    char path[108];

    if (!socket_path(path, sizeof(path)))
        return ENAMETOOLONG;
    return xswire_open(xw, path);
}

struct xs_handle *xsreg_open(void)
{
    struct xswire probe;

    /* xs_open falls back to /dev/xen/xenbus, where every request blocks
     * for ever when no xenstored runs (its flags are ignored in 4.17). */
    if (connect_wire(&probe) != 0)
        return NULL;
    xswire_close(&probe);
    return xs_open(0);
}

/* A batch of requests, with the path of each to name one that fails. */
struct txn {
    struct xswire xw;
    char **paths;
    size_t n, cap;
    bool oom;
};

/* Records PATH (taking it) as the next request's; false when out of
 * memory (the batch is then marked failed). */
static bool note_path(struct txn *x, char *path)
{
    if (path && x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 64;
        char **p = realloc(x->paths, cap * sizeof(*p));

        if (p) {
            x->paths = p;
            x->cap = cap;
        }
    }
    if (!path || x->n == x->cap) {
        free(path);
        x->oom = true;
        return false;
    }
    x->paths[x->n++] = path;
    return true;
}

static void txn_reset(struct txn *x)
{
    for (size_t i = 0; i < x->n; i++)
        free(x->paths[i]);
    x->n = 0;
}

static void txn_dispose(struct txn *x)
{
    txn_reset(x);
    free(x->paths);
    x->paths = NULL;
    x->cap = 0;
}

static char *vpath(const char *fmt, va_list ap)
{
    char *p;

    return vasprintf(&p, fmt, ap) < 0 ? NULL : p;
}

/* Queues writing VALUE at the path made from FMT. */
static void put(struct txn *x, const char *value, const char *fmt, ...)
{
    va_list ap;
    char *path;

    va_start(ap, fmt);
    path = vpath(fmt, ap);
    va_end(ap);
    if (note_path(x, path))
        xswire_write(&x->xw, path, value);
}

/*
 * Queues making the directory FMT..., owned by OWNER and readable by
 * READER. A node xenstored creates takes its parent's permissions, so only
 * nodes whose permissions differ from their parent's need this; the others
 * are made by writing into them.
 */
static void dir(struct txn *x, unsigned int owner, unsigned int reader,
                const char *fmt, ...)
{
    char p0[16], p1[16];
    va_list ap;
    char *path, *copy;

    va_start(ap, fmt);
    path = vpath(fmt, ap);
    va_end(ap);
    copy = path ? strdup(path) : NULL;
    if (!note_path(x, path)) {
        free(copy);
        return;
    }
    if (!note_path(x, copy))
        return;
    snprintf(p0, sizeof(p0), "n%u", owner);
    snprintf(p1, sizeof(p1), "r%u", reader);
    xswire_mkdir(&x->xw, path);
    xswire_set_perms(&x->xw, path, (const char *const[]){ p0, p1 },
                     owner == reader ? 1 : 2);
}

/* V in decimal, in BUF. */
static const char *num(char buf[24], unsigned long long v)
{
    snprintf(buf, 24, "%llu", v);
    return buf;
}

/*
 * libxl__device_nic_add's entries for vif DEVID of domain D, for the
 * kernel's netback: it makes the interface when the backend folder
 * appears. The backend's script is empty, so xendevd (xendevd/README.md)
 * attaches it and writes hotplug-status; nothing here waits for that.
 */
static void write_vif(struct txn *x, unsigned int d, unsigned int devid,
                      const struct domcfg_vif *v)
{
    char fe[64], be[64], mac[18], n[24];

    snprintf(fe, sizeof(fe), "/local/domain/%u/device/vif/%u", d, devid);
    snprintf(be, sizeof(be), "/local/domain/0/backend/vif/%u/%u", d, devid);
    snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", v->mac[0],
             v->mac[1], v->mac[2], v->mac[3], v->mac[4], v->mac[5]);
    dir(x, 0, d, "%s", be);
    put(x, fe, "%s/frontend", be);
    put(x, num(n, d), "%s/frontend-id", be);
    put(x, "1", "%s/online", be);
    put(x, "1", "%s/state", be);
    put(x, mac, "%s/mac", be);
    put(x, v->bridge, "%s/bridge", be);
    put(x, num(n, devid), "%s/handle", be);
    put(x, "vif", "%s/type", be);
    /* Netback refuses a vif without the key; empty names no script. */
    put(x, "", "%s/script", be);
    if (v->mtu)
        put(x, num(n, v->mtu), "%s/mtu", be);
    dir(x, d, 0, "%s", fe);
    put(x, be, "%s/backend", fe);
    put(x, "0", "%s/backend-id", fe);
    put(x, "1", "%s/state", fe);
    put(x, num(n, devid), "%s/handle", fe);
    put(x, mac, "%s/mac", fe);
    put(x, fe, "/libxl/%u/device/vif/%u/frontend", d, devid);
    put(x, be, "/libxl/%u/device/vif/%u/backend", d, devid);
}

static void write_entries(struct txn *x, const struct domcfg *dc,
                          const char *uuid, const struct build_result *br)
{
    static const char *const rw_dirs[] = {
        "device/suspend/event-channel", "control/shutdown",
        "control/feature-poweroff", "control/feature-reboot",
        "control/feature-suspend", "control/sysrq", "data", "drivers",
        "feature", "attr", "error",
    };
    unsigned int d = br->domid;
    char dom[32], vm[64], fe[48], be[64], n[24];

    snprintf(dom, sizeof(dom), "/local/domain/%u", d);
    snprintf(vm, sizeof(vm), "/vm/%s", uuid);
    snprintf(fe, sizeof(fe), "%s/console", dom);
    snprintf(be, sizeof(be), "/local/domain/0/backend/console/%u/0", d);

    /* libxl__domain_make: the domain's folders and its name. */
    dir(x, 0, d, "%s", dom);
    dir(x, 0, d, "%s", vm);
    dir(x, 0, 0, "/libxl/%u", d);
    put(x, vm, "%s/vm", dom);
    put(x, dc->name, "%s/name", dom);
    put(x, dc->name, "%s/name", vm);
    put(x, uuid, "%s/uuid", vm);
    /* cpu, memory, control and device are made by writing into them. */
    for (size_t i = 0; i < sizeof(rw_dirs) / sizeof(rw_dirs[0]); i++)
        dir(x, d, d, "%s/%s", dom, rw_dirs[i]);
    put(x, "1", "%s/control/platform-feature-multiprocessor-suspend", dom);
    put(x, "1", "%s/control/platform-feature-xs_reset_watches", dom);
    put(x, domcfg_type_name(dc->type), "/libxl/%u/type", d);

    /* libxl__build_post: memory, vcpus, the store ring, the image. */
    put(x, num(n, dc->max_kb), "%s/memory/static-max", dom);
    put(x, num(n, dc->target_kb), "%s/memory/target", dom);
    put(x, num(n, d), "%s/domid", dom);
    put(x, num(n, br->store_port), "%s/store/port", dom);
    put(x, num(n, br->store_mfn), "%s/store/ring-ref", dom);
    for (unsigned int i = 0; i < dc->max_vcpus; i++)
        put(x, i < dc->vcpus ? "online" : "offline",
            "%s/cpu/%u/availability", dom, i);
    /* libxl's /vm/<uuid>/image/{ostype,kernel,ramdisk,cmdline} are left
     * out: nothing reads them, and each request costs ~1.5 ms of
     * xenstored in the test host. */

    /* libxl__device_console_add: the primary console, for xenconsoled
     * (which skips a console whose type is not "xenconsoled"). */
    dir(x, 0, d, "%s", be);
    put(x, num(n, d), "%s/frontend-id", be);
    put(x, "1", "%s/online", be);
    put(x, "1", "%s/state", be);
    put(x, "vt100", "%s/protocol", be);
    put(x, fe, "%s/frontend", be);
    dir(x, d, 0, "%s", fe);
    put(x, be, "%s/backend", fe);
    put(x, "0", "%s/backend-id", fe);
    put(x, CONSOLE_LIMIT, "%s/limit", fe);
    put(x, "xenconsoled", "%s/type", fe);
    put(x, "pty", "%s/output", fe);
    put(x, "", "%s/tty", fe);
    put(x, num(n, br->console_port), "%s/port", fe);
    put(x, num(n, br->console_mfn), "%s/ring-ref", fe);
    /* libxl's record of the device, which xl destroy walks. */
    put(x, fe, "/libxl/%u/device/console/0/frontend", d);
    put(x, be, "/libxl/%u/device/console/0/backend", d);

    if (dc->devices == DOMCFG_DEVICES_XENSTORE)
        for (unsigned int i = 0; i < dc->n_vifs; i++)
            write_vif(x, d, i, &dc->vifs[i]);
}

int xsreg_add(const struct domcfg *dc, const uint8_t uuid[16],
              const struct build_result *br, FILE *err)
{
    struct txn x = { 0 };
    char u[37], id[16], mfn[24], port[16];
    size_t failed = 0;
    int rc = -1, e;

    domcfg_uuid_string(uuid, u);
    e = connect_wire(&x.xw);
    if (e) {
        fprintf(err, "chaos: domain %u (%s): cannot connect to xenstored: "
                "%s\n", br->domid, dc->name, strerror(e));
        return -1;
    }
    for (;;) {
        e = xswire_begin(&x.xw);
        if (e) {
            fprintf(err, "chaos: domain %u (%s): cannot start a xenstore "
                    "transaction: %s\n", br->domid, dc->name, strerror(e));
            goto out;
        }
        timing_mark("xenstore: transaction started");
        txn_reset(&x);
        write_entries(&x, dc, u, br);
        e = x.oom ? ENOMEM : xswire_flush(&x.xw, false, &failed, NULL);
        timing_mark("xenstore: entries written");
        if (e) {
            xswire_end(&x.xw, true);
            fprintf(err, "chaos: domain %u (%s): cannot write %s in "
                    "xenstore: %s\n", br->domid, dc->name,
                    !x.oom && failed < x.n ? x.paths[failed] : "its entries",
                    strerror(e));
            goto out;
        }
        e = xswire_end(&x.xw, false);
        if (e == 0)
            break;
        if (e != EAGAIN) {
            fprintf(err, "chaos: domain %u (%s): cannot commit the xenstore "
                    "transaction: %s\n", br->domid, dc->name, strerror(e));
            goto out;
        }
    }
    timing_mark("xenstore: committed");
    /* A NOXS domain's store page is its device page: xenstored must not
     * take it for a ring. */
    if (noxsdev_wanted(dc)) {
        rc = 0;
        goto out;
    }
    snprintf(id, sizeof(id), "%u", br->domid);
    snprintf(mfn, sizeof(mfn), "%llu", (unsigned long long)br->store_mfn);
    snprintf(port, sizeof(port), "%u", br->store_port);
    xswire_add(&x.xw, XS_INTRODUCE, (const char *const[]){ id, mfn, port }, 3);
    e = xswire_flush(&x.xw, false, NULL, NULL);
    if (e) {
        fprintf(err, "chaos: domain %u (%s): xenstored refused to introduce "
                "it: %s\n", br->domid, dc->name, strerror(e));
        txn_dispose(&x);
        xswire_close(&x.xw);
        xsreg_remove(br->domid, err);
        return -1;
    }
    rc = 0;
out:
    txn_dispose(&x);
    xswire_close(&x.xw);
    return rc;
}

int xsreg_remove(uint32_t domid, FILE *err)
{
    struct xswire xw;
    char path[96], *vm = NULL;
    const char *p = path;
    int e;

    e = connect_wire(&xw);
    if (!e) {
        snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
        xswire_add(&xw, XS_READ, &p, 1);
        if (xswire_flush(&xw, true, NULL, &vm) == 0 && vm &&
            strncmp(vm, "/vm/", 4) == 0 && !strchr(vm + 4, '/'))
            xswire_rm(&xw, vm);
        snprintf(path, sizeof(path), "/local/domain/0/backend/console/%u",
                 domid);
        xswire_rm(&xw, path);
        /* Netback lets go of the domain's vifs when their folder goes. */
        snprintf(path, sizeof(path), "/local/domain/0/backend/vif/%u", domid);
        xswire_rm(&xw, path);
        snprintf(path, sizeof(path), "/libxl/%u", domid);
        xswire_rm(&xw, path);
        snprintf(path, sizeof(path), "/local/domain/%u", domid);
        xswire_rm(&xw, path);
        e = xswire_flush(&xw, true, NULL, NULL);
        xswire_close(&xw);
    }
    free(vm);
    if (e) {
        fprintf(err, "chaos: domain %u: cannot remove its xenstore entries: "
                "%s\n", domid, strerror(e));
        return -1;
    }
    return 0;
}

/* Sends the one request of XW (built by FILL) on a new connection. */
static int one_request(void (*fill)(struct xswire *, uint32_t), uint32_t domid)
{
    struct xswire xw;
    int e = connect_wire(&xw);

    if (e)
        return e;
    fill(&xw, domid);
    e = xswire_flush(&xw, true, NULL, NULL);
    xswire_close(&xw);
    return e;
}

static void mark_shell(struct xswire *xw, uint32_t domid)
{
    char path[48], name[32];

    snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
    snprintf(name, sizeof(name), "chaos-shell-%u", domid);
    xswire_write(xw, path, name);
}

static void unmark_shell(struct xswire *xw, uint32_t domid)
{
    char path[32];

    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    xswire_rm(xw, path);
}

int xsreg_mark_shell(uint32_t domid)
{
    return one_request(mark_shell, domid);
}

int xsreg_unmark_shell(uint32_t domid)
{
    return one_request(unmark_shell, domid);
}

int xsreg_watch_domains(void)
{
    struct xswire xw;
    int e, fd;

    e = connect_wire(&xw);
    if (e) {
        errno = e;
        return -1;
    }
    xswire_add(&xw, XS_WATCH, (const char *const[]){ "@releaseDomain",
                                                     "chaosd" }, 2);
    e = xswire_flush(&xw, false, NULL, NULL);
    if (!e && fcntl(xw.fd, F_SETFL, O_NONBLOCK) < 0)
        e = errno;
    if (e) {
        xswire_close(&xw);
        errno = e;
        return -1;
    }
    fd = xw.fd;
    xw.fd = -1;
    xswire_close(&xw);
    return fd;
}

int xsreg_drain_watch(int fd)
{
    char buf[4096];
    ssize_t n;

    do
        n = read(fd, buf, sizeof(buf));
    while (n > 0 || (n < 0 && errno == EINTR));
    return n < 0 && errno == EAGAIN ? 0 : -1;
}

char **xsreg_domain_dirs(struct xs_handle *xs, unsigned int *num)
{
    return xs_directory(xs, XBT_NULL, "/local/domain", num);
}

int xsreg_sweep(char **dirs, unsigned int num, uint32_t *live, size_t n_live)
{
    struct xswire xw;
    char path[64];
    int e, removed = 0;

    qsort(live, n_live, sizeof(*live), state_cmp_domid);
    e = connect_wire(&xw);
    for (unsigned int i = 0; !e && i < num; i++) {
        char *end;
        unsigned long d = strtoul(dirs[i], &end, 10);
        uint32_t id = (uint32_t)d;

        if (*end || end == dirs[i] || d >= DOMID_FIRST_RESERVED || d == 0 ||
            bsearch(&id, live, n_live, sizeof(*live), state_cmp_domid))
            continue;
        snprintf(path, sizeof(path), "/local/domain/0/backend/console/%u", id);
        xswire_rm(&xw, path);
        snprintf(path, sizeof(path), "/local/domain/0/backend/vif/%u", id);
        xswire_rm(&xw, path);
        snprintf(path, sizeof(path), "/libxl/%u", id);
        xswire_rm(&xw, path);
        snprintf(path, sizeof(path), "/local/domain/%u", id);
        xswire_rm(&xw, path);
        removed++;
    }
    if (!e) {
        if (removed)
            xswire_flush(&xw, true, NULL, NULL);
        xswire_close(&xw);
    }
    return removed;
}

int xsreg_names(const uint32_t *domids, size_t n, char **names)
{
    struct xswire xw;
    char path[48];
    int e;

    for (size_t i = 0; i < n; i++)
        names[i] = NULL;
    if (n == 0)
        return 0;
    e = connect_wire(&xw);
    if (e)
        return e;
    for (size_t i = 0; i < n; i++) {
        const char *p = path;

        snprintf(path, sizeof(path), "/local/domain/%u/name", domids[i]);
        xswire_add(&xw, XS_READ, &p, 1);
    }
    e = xswire_flush(&xw, true, NULL, names);
    xswire_close(&xw);
    return e;
}

char *xsreg_name(struct xs_handle *xs, uint32_t domid)
{
    char path[48];
    unsigned int len;

    snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
    return xs_read(xs, XBT_NULL, path, &len);
}
