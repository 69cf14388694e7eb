/*
 * build: creating PV domains with libxenctrl and libxenguest. See build.h.
 *
 * The sequence is libxl's for a PV domain without devices (libxl__domain_make,
 * libxl__build_pre, libxl__build_pv, libxl__build_dom), reduced to the calls
 * that change the domain; ../shared/notes/xen-4.17-internals.md section 1.
 */
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xenguest.h>

#include "timing.h"

/* libxl: Xen's maximum memory is the target plus this much (KiB). */
#define MAXMEM_SLACK_KB 1024
/* libxl's default event_channels: highest port the guest may use. */
#define MAX_EVTCHN_PORT 1023

int build_read_fd(int fd, void **data_out, size_t *len_out)
{
    char *data = NULL;
    struct stat st;
    int rc;

    if (fstat(fd, &st) < 0)
        return errno;
    if (!S_ISREG(st.st_mode))
        return S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    if (st.st_size == 0)
        return EINVAL;
    if ((unsigned long long)st.st_size > BUILD_MAX_FILE)
        return EFBIG;
    data = malloc((size_t)st.st_size);
    if (!data)
        return ENOMEM;
    /* pread: a descriptor a client passed may be at any offset. */
    for (size_t got = 0; got < (size_t)st.st_size;) {
        ssize_t n = pread(fd, data + got, (size_t)st.st_size - got,
                          (off_t)got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = n < 0 ? errno : EIO;
            free(data);
            return rc;
        }
        got += (size_t)n;
    }
    *data_out = data;
    *len_out = (size_t)st.st_size;
    return 0;
}

int build_open_checked(const char *path)
{
    struct stat st, st2;
    char proc[40];
    int opath, fd = -1, e = 0;

    if (path[0] != '/') {
        errno = EINVAL;
        return -1;
    }
    opath = open(path, O_PATH | O_CLOEXEC);
    if (opath < 0)
        return -1;
    if (fstat(opath, &st) < 0) {
        e = errno;
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        e = EINVAL;
        goto out;
    }
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", opath);
    fd = open(proc, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        e = errno;
        goto out;
    }
    if (fstat(fd, &st2) < 0 || st2.st_dev != st.st_dev ||
        st2.st_ino != st.st_ino) {
        e = EINVAL;
        close(fd);
        fd = -1;
    }
out:
    close(opath);
    errno = e;
    return fd;
}

char *build_fd_path(int fd)
{
    char proc[40], buf[4096];
    ssize_t n;

    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
    n = readlink(proc, buf, sizeof(buf) - 1);
    if (n <= 0 || buf[0] != '/')
        return NULL;
    buf[n] = '\0';
    return strdup(buf);
}

int build_read_file(const char *path, void **data_out, size_t *len_out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

    if (fd < 0)
        return errno;
    rc = build_read_fd(fd, data_out, len_out);
    close(fd);
    return rc;
}

/* The grant table version libxl would allow: 2 when Xen offers it. */
static unsigned int max_grant_version(xc_interface *xch)
{
    xc_physinfo_t info = { 0 };

    if (xc_physinfo(xch, &info) == 0 &&
        (info.capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v2))
        return 2;
    return 1;
}

static const uint8_t mark[8] = { 'c', 'h', 'a', 'o', 's', '-', 's', 'h' };

void build_mark(uint8_t handle[16])
{
    memcpy(handle, mark, sizeof(mark));
    if (getrandom(handle + 8, 8, 0) != 8)
        memset(handle + 8, 0, 8);
}

void build_remark(uint8_t handle[16])
{
    memcpy(handle, mark, sizeof(mark));
}

bool build_is_marked(const uint8_t handle[16])
{
    return memcmp(handle, mark, sizeof(mark)) == 0;
}

/* Prints on ERR that STEP failed, for domain DOMID (when CREATED) made for
 * WHAT; libxenguest has said why on stderr, and errno is not always set. */
static void say_failed(FILE *err, bool created, uint32_t domid,
                       const char *what, const char *step)
{
    int e = errno;

    if (created)
        fprintf(err, "chaos: domain %u (%s): cannot %s%s%s\n", domid, what,
                step, e ? ": " : "", e ? strerror(e) : "");
    else
        fprintf(err, "chaos: cannot %s for %s%s%s\n", step, what,
                e ? ": " : "", e ? strerror(e) : "");
}

static void destroy_half_made(xc_interface *xch, uint32_t domid, FILE *err)
{
    if (xc_domain_destroy(xch, domid) < 0)
        fprintf(err, "chaos: domain %u: cannot destroy the half-built "
                "domain: %s; destroy it with 'chaos destroy %u'\n",
                domid, strerror(errno), domid);
}

void build_shape_of(const struct domcfg *dc, struct build_shape *shape)
{
    shape->max_vcpus = dc->max_vcpus;
    shape->target_kb = dc->target_kb;
    shape->max_kb = dc->max_kb;
}

bool build_shape_equal(const struct build_shape *a, const struct build_shape *b)
{
    return a->max_vcpus == b->max_vcpus && a->target_kb == b->target_kb &&
           a->max_kb == b->max_kb;
}

int build_shell_make(xc_interface *xch, const struct build_shape *shape,
                     const uint8_t handle[16], const char *what,
                     struct build_shell *out, FILE *err)
{
    struct xen_domctl_createdomain create = {
        .max_vcpus = shape->max_vcpus,
        .max_evtchn_port = MAX_EVTCHN_PORT,
        .max_grant_frames = -1,         /* Xen's defaults */
        .max_maptrack_frames = -1,
        .grant_opts = XEN_DOMCTL_GRANT_version(max_grant_version(xch)),
    };
    struct xc_dom_image *dom = NULL;
    uint32_t domid = 0;
    bool created = false;
    const char *step;
    int console_port, store_port;

    memcpy(create.handle, handle, sizeof(create.handle));
    errno = 0;
    step = "create the domain";
    if (xc_domain_create(xch, &domid, &create) < 0)
        goto fail;
    created = true;
    step = "set the number of vcpus";
    if (xc_domain_max_vcpus(xch, domid, shape->max_vcpus) < 0)
        goto fail;
    step = "set the maximum memory";
    if (xc_domain_setmaxmem(xch, domid, shape->target_kb + MAXMEM_SLACK_KB) < 0)
        goto fail;
    step = "allocate the console event channel";
    console_port = xc_evtchn_alloc_unbound(xch, domid, 0);
    if (console_port < 0)
        goto fail;
    step = "allocate the store event channel";
    store_port = xc_evtchn_alloc_unbound(xch, domid, 0);
    if (store_port < 0)
        goto fail;
    step = "set the memory map limit";
    if (xc_domain_set_memmap_limit(xch, domid, shape->max_kb) < 0)
        goto fail;
    timing_mark("build: domain created, vcpus, memory, event channels");

    step = "allocate the domain builder";
    dom = xc_dom_allocate(xch, "", NULL);
    if (!dom)
        goto fail;
    dom->container_type = XC_DOM_PV_CONTAINER;
    dom->console_evtchn = (unsigned int)console_port;
    dom->console_domid = 0;
    dom->xenstore_evtchn = (unsigned int)store_port;
    dom->xenstore_domid = 0;
    /* A 64-bit PV kernel fails in SETVCPUCONTEXT without this. */
    dom->max_vcpus = shape->max_vcpus;
    step = "start the domain builder";
    if (xc_dom_boot_xen_init(dom, xch, domid) != 0)
        goto fail;
    /* The memory layout depends only on the guest type, which parsing a
     * kernel would set: shells are for 64-bit PV kernels, and
     * build_shell_finish refuses any other. */
    dom->guest_type = SHELL_GUEST_TYPE;
    step = "size the domain's memory";
    if (xc_dom_mem_init(dom, (unsigned int)(shape->target_kb / 1024)) != 0)
        goto fail;
    step = "populate the domain's memory (is there enough free memory?)";
    if (xc_dom_boot_mem_init(dom) != 0)
        goto fail;
    timing_mark("build: memory populated");

    out->domid = domid;
    out->shape = *shape;
    memcpy(out->handle, handle, sizeof(out->handle));
    out->console_port = (uint32_t)console_port;
    out->store_port = (uint32_t)store_port;
    out->dom = dom;
    return 0;

fail:
    say_failed(err, created, domid, what, step);
    if (dom)
        xc_dom_release(dom);
    if (created)
        destroy_half_made(xch, domid, err);
    return -1;
}

int build_shell_finish(xc_interface *xch, struct build_shell *shell,
                       const struct domcfg *dc,
                       const struct build_image *image,
                       build_laid_out_fn *laid_out, void *ctx,
                       struct build_result *out, FILE *err)
{
    struct xc_dom_image *dom = shell->dom;
    uint32_t domid = shell->domid;
    const char *step;
    int rc = -1;

    shell->dom = NULL;
    errno = 0;
    step = "set the kernel command line";
    dom->cmdline = xc_dom_strdup(dom, dc->cmdline ? dc->cmdline : "");
    if (!dom->cmdline)
        goto fail;
    step = "load the kernel";
    if (xc_dom_kernel_mem(dom, image->kernel, image->kernel_len) != 0)
        goto fail;
    step = "load the ramdisk";
    if (image->ramdisk &&
        xc_dom_module_mem(dom, image->ramdisk, image->ramdisk_len, NULL) != 0)
        goto fail;
    step = "recognise the kernel (is it a Xen PV kernel?)";
    if (xc_dom_parse_image(dom) != 0)
        goto fail;
    step = "recognise the kernel (chaos builds 64-bit PV kernels only)";
    if (strcmp(dom->guest_type, SHELL_GUEST_TYPE) != 0) {
        errno = 0;
        goto fail;
    }
    timing_mark("build: kernel parsed");
    step = "build the domain's image";
    if (xc_dom_build_image(dom) != 0)
        goto fail;
    timing_mark("build: image built");
    out->domid = domid;
    out->console_mfn = xc_dom_p2m(dom, dom->console_pfn);
    out->store_mfn = xc_dom_p2m(dom, dom->xenstore_pfn);
    out->console_port = shell->console_port;
    out->store_port = shell->store_port;
    if (laid_out)
        laid_out(ctx, out);
    step = "boot the domain's image";
    if (xc_dom_boot_image(dom) != 0)
        goto fail;
    timing_mark("build: image booted");
    step = "seed the grant table";
    if (xc_dom_gnttab_init(dom) != 0)
        goto fail;
    timing_mark("build: grant table seeded");
    rc = 0;
    goto out;

fail:
    say_failed(err, true, domid, dc->name, step);
    destroy_half_made(xch, domid, err);
out:
    xc_dom_release(dom);
    return rc;
}

void build_shell_discard(xc_interface *xch, struct build_shell *shell,
                         FILE *err)
{
    if (shell->dom) {
        xc_dom_release(shell->dom);
        shell->dom = NULL;
    }
    if (xc_domain_destroy(xch, shell->domid) < 0)
        fprintf(err, "chaos: shell domain %u: cannot destroy it: %s\n",
                shell->domid, strerror(errno));
}

int build_pv_domain(xc_interface *xch, const struct domcfg *dc,
                    const struct build_image *image, struct build_result *out,
                    FILE *err)
{
    struct build_shape shape;
    struct build_shell shell;
    uint8_t handle[16];

    build_shape_of(dc, &shape);
    build_mark(handle);
    if (build_shell_make(xch, &shape, handle, dc->name, &shell, err) < 0)
        return -1;
    return build_shell_finish(xch, &shell, dc, image, NULL, NULL, out, err);
}
