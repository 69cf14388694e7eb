/*
 * devpage: NOXS device pages. See devpage.h.
 */
#include "devpage.h"

#include <errno.h>
#include <string.h>

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
        if (l->devs[i].type != type || l->devs[i].devid != devid)
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
