/*
 * devpage_read: finding devices in a NOXS device page, for dom0 and for
 * guests alike: freestanding (no libc; the compiler's builtins, which
 * a guest's runtime backs with its own memcpy and memcmp). See devpage.h.
 */
#include "devpage.h"

static int same(const struct noxs_dev_entry *e, uint16_t type, uint32_t devid)
{
    return e->type == type && e->devid == devid;
}

const struct noxs_dev_entry *noxs_devlist_find(const struct noxs_devlist *l,
                                               uint16_t type, uint32_t devid)
{
    for (unsigned i = 0; i < l->n; i++)
        if (same(&l->devs[i], type, devid))
            return &l->devs[i];
    return NULL;
}

int noxs_devpage_read(const void *page, struct noxs_devlist *out,
                      uint32_t *generation, const char **why)
{
    unsigned char copy[NOXS_PAGE_SIZE];
    struct noxs_dev_page_hdr h;
    size_t table;

    __builtin_memcpy(copy, page, sizeof(copy));
    __builtin_memcpy(&h, copy, sizeof(h));
    out->n = 0;
    if (__builtin_memcmp(h.magic, NOXS_DEV_MAGIC, sizeof(h.magic)) != 0) {
        *why = "no NOXS magic";
        return -1;
    }
    if (h.version < 1) {
        *why = "version 0";
        return -1;
    }
    if (h.header_size < sizeof(struct noxs_dev_page_hdr) ||
        h.entry_size < sizeof(struct noxs_dev_entry)) {
        *why = "header or entry smaller than version 1's";
        return -1;
    }
    table = (size_t)h.entry_count * h.entry_size;
    if (h.header_size > NOXS_PAGE_SIZE ||
        table > NOXS_PAGE_SIZE - h.header_size) {
        *why = "the table does not fit in the page";
        return -1;
    }
    if (h.generation & 1) {
        *why = "being rewritten (odd generation)";
        return -1;
    }
    for (unsigned i = 0; i < h.entry_count; i++) {
        struct noxs_dev_entry e;

        __builtin_memcpy(&e, copy + h.header_size + (size_t)i * h.entry_size,
               sizeof(e));
        if (e.type != NOXS_DEV_VIF)
            continue;
        if (noxs_devlist_find(out, e.type, e.devid) || out->n == NOXS_DEV_MAX) {
            *why = "a device listed twice, or more than NOXS_DEV_MAX";
            out->n = 0;
            return -1;
        }
        out->devs[out->n++] = e;
    }
    *generation = h.generation;
    return 0;
}
