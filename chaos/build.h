/*
 * build: creating PV domains with libxenctrl and libxenguest, without
 * libxl, and destroying them.
 *
 * The kernel and ramdisk are bytes in memory, not paths: the direct-mode
 * CLI reads the files itself, the daemon receives them as descriptors, and
 * neither lets the builder open a path on a caller's behalf.
 */
#ifndef CHAOS_BUILD_H
#define CHAOS_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <xenctrl.h>

#include "domcfg.h"

struct build_image {
    const void *kernel;
    size_t kernel_len;
    const void *ramdisk;        /* NULL: none */
    size_t ramdisk_len;
    const char *kernel_path;    /* absolute, where they were read from; */
    const char *ramdisk_path;   /* NULL when unknown */
};

/* What a built domain's console and store rings are; the toolstack
 * publishes them (xenstore, chaos state) for consoles and xenstored. */
struct build_result {
    uint32_t domid;
    uint64_t console_mfn, store_mfn;
    uint32_t console_port, store_port;
};

/* What a shell is made for: guests with these vcpus and memory. */
struct build_shape {
    uint32_t max_vcpus;
    uint64_t target_kb;         /* memory populated */
    uint64_t max_kb;            /* the guest's memory map limit */
};

/* The guest type shells are laid out for (xc_dom's name for it). */
#define SHELL_GUEST_TYPE "xen-3.0-x86_64"

/*
 * A shell: a paused domain made ahead of its guest, with its vcpus and
 * maximum memory set, console and store event channels allocated (remote
 * end dom0) and its memory populated, and the builder state that loading
 * a kernel into it needs. Any thread may make or finish one; one at a time.
 */
struct build_shell {
    uint32_t domid;
    struct build_shape shape;
    uint8_t handle[16];         /* its Xen handle as made */
    uint32_t console_port, store_port;
    struct xc_dom_image *dom;   /* NULL once finished or discarded */
};

/* The shape DC needs; two shapes are interchangeable when equal. */
void build_shape_of(const struct domcfg *dc, struct build_shape *shape);
bool build_shape_equal(const struct build_shape *a,
                       const struct build_shape *b);

/*
 * A domain is marked, while it is not (yet) a guest, by a Xen handle that
 * begins with the 8 bytes "chaos-sh" (its UUID reads 6368616f-732d-7368-
 * ...): shells, domains being built until their record is saved and
 * their own UUID set, and guests chaosd has begun to destroy. A marked
 * domain nobody is building or destroying is debris, safe to destroy.
 * build_mark fills HANDLE with the mark and 8 random bytes; build_remark
 * puts the mark over the first 8 bytes of a guest's HANDLE, keeping the
 * last 8.
 */
void build_mark(uint8_t handle[16]);
void build_remark(uint8_t handle[16]);
bool build_is_marked(const uint8_t handle[16]);

/*
 * Makes a shell of SHAPE whose Xen handle is HANDLE (marked). On failure prints
 * what failed (naming the domain and WHAT it was made for) on ERR,
 * destroys whatever it made and returns -1; else fills OUT, returns 0.
 */
int build_shell_make(xc_interface *xch, const struct build_shape *shape,
                     const uint8_t handle[16], const char *what,
                     struct build_shell *out, FILE *err);

/* Told the result of a build as soon as the image is laid out: booting
 * it and seeding the grant table, which remain, change none of it. */
typedef void build_laid_out_fn(void *ctx, const struct build_result *out);

/*
 * Turns SHELL into DC's guest: loads IMAGE's kernel (a 64-bit PV one) and
 * ramdisk, builds the start of day and seeds the grant table. SHELL is
 * used up either way. LAID_OUT (NULL: none) is called with CTX once the
 * result is known, before the image boots. On failure prints what failed
 * on ERR, destroys the domain and returns -1; else fills OUT and returns
 * 0. The domain stays paused and marked: the caller records it, sets its
 * UUID as its handle, and unpauses it once it is registered.
 */
int build_shell_finish(xc_interface *xch, struct build_shell *shell,
                       const struct domcfg *dc,
                       const struct build_image *image,
                       build_laid_out_fn *laid_out, void *ctx,
                       struct build_result *out, FILE *err);

/* Destroys an unused SHELL (errors on ERR). */
void build_shell_discard(xc_interface *xch, struct build_shell *shell,
                         FILE *err);

/*
 * Creates a paused, marked PV domain from DC and IMAGE: a shell of DC's
 * shape, finished at once. Fails and cleans up as build_shell_make and
 * build_shell_finish do.
 */
int build_pv_domain(xc_interface *xch, const struct domcfg *dc,
                    const struct build_image *image, struct build_result *out,
                    FILE *err);

/* The largest kernel or ramdisk chaos loads (bytes). */
#define BUILD_MAX_FILE (1ULL << 30)

/* Reads the whole regular file open on FD (from offset 0, leaving its
 * offset alone) into a malloc'd buffer. Returns 0 or an errno value: a
 * directory is EISDIR, another non-regular file or an empty one EINVAL,
 * one over BUILD_MAX_FILE EFBIG. */
int build_read_fd(int fd, void **data_out, size_t *len_out);

/*
 * Opens PATH for reading only if it is an absolute path to a regular file:
 * it is looked up without opening it (O_PATH), checked, then opened
 * through that very lookup, so that no device, FIFO or socket is ever
 * opened. The way chaosd opens a path it did not get as a descriptor.
 * Returns a descriptor, or -1 with errno set (EINVAL: not absolute or not
 * a regular file).
 */
int build_open_checked(const char *path);

/* The absolute path of the file open on FD, malloc'd; NULL if unknown. */
char *build_fd_path(int fd);

/* build_read_fd of the file PATH. */
int build_read_file(const char *path, void **data_out, size_t *len_out);

#endif
