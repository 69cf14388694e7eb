/*
 * xsreg: the xenstore entries of a chaos domain. See xsreg.h.
 *
 * The layout and permissions are libxl's (libxl__domain_make,
 * libxl__build_post, libxl__device_console_add; see
 * ../shared/notes/xen-4.17-internals.md section 1.6).
 */
#include "xsreg.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Consoles are read and written by xenconsoled up to this many bytes. */
#define CONSOLE_LIMIT "1048576"

/* Whether xenstored answers on its socket, found as libxenstore finds it
 * (XENSTORED_PATH, else XENSTORED_RUNDIR or /var/run/xenstored). */
static bool xenstored_listening(void)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    const char *path = getenv("XENSTORED_PATH");
    const char *rundir = getenv("XENSTORED_RUNDIR");
    int fd, n;
    bool ok;

    if (path)
        n = snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
    else
        n = snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/socket",
                     rundir ? rundir : "/var/run/xenstored");
    if (n < 0 || (size_t)n >= sizeof(addr.sun_path))
        return false;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    ok = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
    close(fd);
    return ok;
}

struct xs_handle *xsreg_open(void)
{
    /* xs_open falls back to /dev/xen/xenbus, where every request blocks
     * for ever when no xenstored runs (its flags are ignored in 4.17). */
    if (!xenstored_listening())
        return NULL;
    return xs_open(0);
}

void xsreg_uuid_string(const uint8_t u[16], char buf[37])
{
    snprintf(buf, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
             u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* One transaction's worth of writes; the first failure sticks. */
struct txn {
    struct xs_handle *xs;
    xs_transaction_t t;
    char failed[160];           /* path of the first failed operation */
    int err;
};

/* Writes VALUE at the path made from FMT. */
static void put(struct txn *x, const char *value, const char *fmt, ...)
{
    va_list ap;
    char *path = NULL;
    int n;

    if (x->failed[0])
        return;
    va_start(ap, fmt);
    n = vasprintf(&path, fmt, ap);
    va_end(ap);
    if (n < 0) {
        x->err = ENOMEM;
        snprintf(x->failed, sizeof(x->failed), "%s", fmt);
        return;
    }
    if (!xs_write(x->xs, x->t, path, value, strlen(value))) {
        x->err = errno;
        snprintf(x->failed, sizeof(x->failed), "%s", path);
    }
    free(path);
}

/*
 * Makes the directory FMT..., owned by OWNER and readable by READER. A
 * node xenstored creates takes its parent's permissions, so only nodes
 * whose permissions differ from their parent's need this; the others are
 * made by writing into them.
 */
static void dir(struct txn *x, unsigned int owner, unsigned int reader,
                const char *fmt, ...)
{
    struct xs_permissions perms[2] = {
        { .id = owner, .perms = XS_PERM_NONE },
        { .id = reader, .perms = XS_PERM_READ },
    };
    va_list ap;
    char *path = NULL;
    int n;

    if (x->failed[0])
        return;
    va_start(ap, fmt);
    n = vasprintf(&path, fmt, ap);
    va_end(ap);
    if (n < 0) {
        x->err = ENOMEM;
        snprintf(x->failed, sizeof(x->failed), "%s", fmt);
        return;
    }
    if (!xs_mkdir(x->xs, x->t, path) ||
        !xs_set_permissions(x->xs, x->t, path, perms,
                            owner == reader ? 1 : 2)) {
        x->err = errno;
        snprintf(x->failed, sizeof(x->failed), "%s", path);
    }
    free(path);
}

/* V in decimal, in BUF. */
static const char *num(char buf[24], unsigned long long v)
{
    snprintf(buf, 24, "%llu", v);
    return buf;
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
    put(x, "linux", "%s/image/ostype", vm);
    put(x, dc->kernel ? dc->kernel : "", "%s/image/kernel", vm);
    put(x, dc->ramdisk ? dc->ramdisk : "", "%s/image/ramdisk", vm);
    put(x, dc->cmdline ? dc->cmdline : "", "%s/image/cmdline", vm);

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
}

int xsreg_add(struct xs_handle *xs, const struct domcfg *dc,
              const uint8_t uuid[16], const struct build_result *br,
              FILE *err)
{
    char u[37];

    xsreg_uuid_string(uuid, u);
    for (;;) {
        struct txn x = { .xs = xs };

        x.t = xs_transaction_start(xs);
        if (x.t == XBT_NULL) {
            fprintf(err, "chaos: domain %u (%s): cannot start a xenstore "
                    "transaction: %s\n", br->domid, dc->name, strerror(errno));
            return -1;
        }
        write_entries(&x, dc, u, br);
        if (x.failed[0]) {
            xs_transaction_end(xs, x.t, true);
            fprintf(err, "chaos: domain %u (%s): cannot write %s in "
                    "xenstore: %s\n", br->domid, dc->name, x.failed,
                    strerror(x.err));
            return -1;
        }
        if (xs_transaction_end(xs, x.t, false))
            break;
        if (errno != EAGAIN) {
            fprintf(err, "chaos: domain %u (%s): cannot commit the xenstore "
                    "transaction: %s\n", br->domid, dc->name, strerror(errno));
            return -1;
        }
    }
    if (!xs_introduce_domain(xs, br->domid, br->store_mfn, br->store_port)) {
        fprintf(err, "chaos: domain %u (%s): xenstored refused to introduce "
                "it: %s\n", br->domid, dc->name, strerror(errno));
        xsreg_remove(xs, br->domid, err);
        return -1;
    }
    return 0;
}

int xsreg_remove(struct xs_handle *xs, uint32_t domid, FILE *err)
{
    char path[96], *vm = NULL;
    unsigned int len;
    int rc = 0;

    snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
    vm = xs_read(xs, XBT_NULL, path, &len);
    if (vm && strncmp(vm, "/vm/", 4) == 0 && !strchr(vm + 4, '/') &&
        !xs_rm(xs, XBT_NULL, vm) && errno != ENOENT)
        rc = -1;
    free(vm);
    snprintf(path, sizeof(path), "/local/domain/0/backend/console/%u", domid);
    if (!xs_rm(xs, XBT_NULL, path) && errno != ENOENT)
        rc = -1;
    snprintf(path, sizeof(path), "/libxl/%u", domid);
    if (!xs_rm(xs, XBT_NULL, path) && errno != ENOENT)
        rc = -1;
    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    if (!xs_rm(xs, XBT_NULL, path) && errno != ENOENT)
        rc = -1;
    if (rc)
        fprintf(err, "chaos: domain %u: cannot remove its xenstore entries: "
                "%s\n", domid, strerror(errno));
    return rc;
}

char *xsreg_name(struct xs_handle *xs, uint32_t domid)
{
    char path[48];
    unsigned int len;

    snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
    return xs_read(xs, XBT_NULL, path, &len);
}
