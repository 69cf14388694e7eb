/*
 * devpage: the dom0 side of a guest's NOXS device page (noxs_abi.h).
 *
 * The page is guest memory: once the guest runs, it may write anything
 * there. So dom0 keeps its own list of the guest's devices and only ever
 * writes the page whole from that list; it never reads the page back.
 * noxs_devpage_read is the validating reader, for code that must read a
 * page it does not trust (guests, tests, tools).
 */
#ifndef NOXS_DEVPAGE_H
#define NOXS_DEVPAGE_H

#include <stddef.h>
#include <stdint.h>

#include "noxs_abi.h"

struct noxs_devlist {
    unsigned n;
    struct noxs_dev_entry devs[NOXS_DEV_MAX];
};

/* noxs_devlist_add: appends E. EINVAL if its type is NOXS_DEV_NONE,
 * EEXIST if a device of that type and devid is listed, ENOSPC when the
 * list holds NOXS_DEV_MAX. */
int noxs_devlist_add(struct noxs_devlist *l, const struct noxs_dev_entry *e);

/* noxs_devlist_remove: ENOENT if no device of TYPE and DEVID is listed.
 * The others keep their order. */
int noxs_devlist_remove(struct noxs_devlist *l, uint16_t type,
                        uint32_t devid);

/* noxs_devlist_find: the listed device of TYPE and DEVID, or NULL. */
const struct noxs_dev_entry *noxs_devlist_find(const struct noxs_devlist *l,
                                               uint16_t type, uint32_t devid);

/* noxs_devpage_write: writes the whole page (NOXS_PAGE_SIZE bytes) from L:
 * header, entries, zeros after them. GENERATION must be even. With a
 * guest running, the caller first writes the header's generation odd
 * (noxs_devpage_begin) so that the guest rereads. */
void noxs_devpage_write(void *page, const struct noxs_devlist *l,
                        uint32_t generation);

/* noxs_devpage_begin: marks the page as being rewritten (generation
 * GENERATION - 1, odd) before noxs_devpage_write(..., GENERATION). */
void noxs_devpage_begin(void *page, uint32_t generation);

/* noxs_devpage_read: copies the page at PAGE (NOXS_PAGE_SIZE bytes, which
 * another party may be writing) once, then validates the copy: magic,
 * version >= 1, header and entry sizes at least v1's, the table within
 * the page, an even generation. Entries of unknown types are skipped, as
 * are v1 fields' successors. Returns 0 with OUT filled in, else -1 with
 * WHY a static reason. */
int noxs_devpage_read(const void *page, struct noxs_devlist *out,
                      uint32_t *generation, const char **why);

#endif
