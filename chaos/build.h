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
};

/* What a built domain's console and store rings are; the toolstack
 * publishes them (xenstore, chaos state) for consoles and xenstored. */
struct build_result {
    uint32_t domid;
    uint64_t console_mfn, store_mfn;
    uint32_t console_port, store_port;
};

/*
 * Creates a paused PV domain from DC and IMAGE with UUID as its handle:
 * creates it, sets vcpus and maximum memory, allocates its console and
 * store event channels (remote end: dom0), populates its memory, loads
 * the kernel and ramdisk, builds the start of day and seeds the grant
 * table. On failure prints what failed (and on which domain) on ERR,
 * destroys whatever it made and returns -1; else fills OUT and returns 0.
 * The domain stays paused: the caller unpauses it once it is registered.
 */
int build_pv_domain(xc_interface *xch, const struct domcfg *dc,
                    const struct build_image *image, const uint8_t uuid[16],
                    struct build_result *out, FILE *err);

/* Reads the whole file PATH into a malloc'd buffer. Returns 0 or an errno
 * value; a zero-length file is EINVAL. */
int build_read_file(const char *path, void **data_out, size_t *len_out);

#endif
