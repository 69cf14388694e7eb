/*
 * devpage: NOXS device pages. See devpage.h.
 */
#include "devpage.h"

#include <errno.h>
#include <string.h>

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

int noxs_devlist_add(struct noxs_devlist *l, const struct noxs_dev_entry *e)
{
    if (e->type == NOXS_DEV_NONE)
        return EINVAL;
    if (noxs_devlist_find(l, e->type, e->devid))
        return EEXIST;
    if (l->n >= NOXS_DEV_MAX)
        return ENOSPC;
    l->devs[l->n++] = *e;
    return 0;
}

int noxs_devlist_remove(struct noxs_devlist *l, uint16_t type,
                        uint32_t devid)
{
    for (unsigned i = 0; i < l->n; i++) {
        if (!same(&l->devs[i], type, devid))
            continue;
        memmove(&l->devs[i], &l->devs[i + 1],
                (l->n - i - 1) * sizeof(l->devs[0]));
        l->n--;
        return 0;
    }
    return ENOENT;
}

void noxs_devpage_begin(void *page, uint32_t generation)
{
    struct noxs_dev_page_hdr *h = page;

    h->generation = generation - 1;
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

void noxs_devpage_write(void *page, const struct noxs_devlist *l,
                        uint32_t generation)
{
    struct noxs_dev_page_hdr h = {
        .magic = NOXS_DEV_MAGIC,
        .version = NOXS_VERSION,
        .header_size = sizeof(struct noxs_dev_page_hdr),
        .entry_size = sizeof(struct noxs_dev_entry),
        .entry_count = (uint16_t)l->n,
        .generation = generation,
    };
    unsigned char *p = page;
    size_t table = l->n * sizeof(l->devs[0]);

    /* Everything but the generation first, the generation last. */
    memcpy(p + sizeof(h), l->devs, table);
    memset(p + sizeof(h) + table, 0, NOXS_PAGE_SIZE - sizeof(h) - table);
    memcpy(p, &h, __builtin_offsetof(struct noxs_dev_page_hdr, generation));
    memcpy(p + __builtin_offsetof(struct noxs_dev_page_hdr, flags), &h.flags,
           sizeof(h) - __builtin_offsetof(struct noxs_dev_page_hdr, flags));
    __atomic_thread_fence(__ATOMIC_RELEASE);
    memcpy(p + __builtin_offsetof(struct noxs_dev_page_hdr, generation),
           &h.generation, sizeof(h.generation));
}

int noxs_devpage_read(const void *page, struct noxs_devlist *out,
                      uint32_t *generation, const char **why)
{
    unsigned char copy[NOXS_PAGE_SIZE];
    struct noxs_dev_page_hdr h;
    size_t table;

    memcpy(copy, page, sizeof(copy));
    memcpy(&h, copy, sizeof(h));
    out->n = 0;
    if (memcmp(h.magic, NOXS_DEV_MAGIC, sizeof(h.magic)) != 0) {
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

        memcpy(&e, copy + h.header_size + (size_t)i * h.entry_size,
               sizeof(e));
        if (e.type != NOXS_DEV_VIF)
            continue;
        if (noxs_devlist_add(out, &e) != 0) {
            *why = "a device listed twice, or more than NOXS_DEV_MAX";
            out->n = 0;
            return -1;
        }
    }
    *generation = h.generation;
    return 0;
}
