/*
 * gnttab_table.c: grant entry logic declared in gnttab_table.h.
 */
#include "barrier.h"
#include "gnttab_table.h"

static bool ref_used(const struct gnttab_table *t, grant_ref_t ref)
{
    return t->used[ref / GNTTAB_BITS_PER_LONG] &
           (1UL << (ref % GNTTAB_BITS_PER_LONG));
}

static void ref_set_used(struct gnttab_table *t, grant_ref_t ref, bool used)
{
    unsigned long bit = 1UL << (ref % GNTTAB_BITS_PER_LONG);

    if (used)
        t->used[ref / GNTTAB_BITS_PER_LONG] |= bit;
    else
        t->used[ref / GNTTAB_BITS_PER_LONG] &= ~bit;
}

void gnttab_table_init(struct gnttab_table *t, grant_entry_v1_t *entries,
                       grant_ref_t nr_entries, unsigned long *used)
{
    grant_ref_t ref;
    size_t i;

    t->entries = entries;
    t->used = used;
    t->nr_entries = nr_entries;
    for (i = 0; i < GNTTAB_USED_LONGS(nr_entries); i++)
        used[i] = 0;
    for (ref = 0; ref < GNTTAB_NR_RESERVED_ENTRIES && ref < nr_entries; ref++)
        ref_set_used(t, ref, true);
}

int gnttab_table_grant(struct gnttab_table *t, domid_t domid, uint32_t frame,
                       bool readonly, grant_ref_t *ref)
{
    grant_ref_t r;

    for (r = GNTTAB_NR_RESERVED_ENTRIES; r < t->nr_entries; r++) {
        grant_entry_v1_t *e = &t->entries[r];

        if (ref_used(t, r))
            continue;
        ref_set_used(t, r, true);
        e->domid = domid;
        e->frame = frame;
        /* Xen must see domid and frame before the entry becomes valid. */
        wmb();
        __atomic_store_n(&e->flags,
                         (uint16_t)(GTF_permit_access |
                                    (readonly ? GTF_readonly : 0)),
                         __ATOMIC_RELAXED);
        *ref = r;
        return 0;
    }
    return -XEN_ENOSPC;
}

int gnttab_table_end(struct gnttab_table *t, grant_ref_t ref)
{
    grant_entry_v1_t *e;
    uint16_t flags;

    if (ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= t->nr_entries ||
        !ref_used(t, ref))
        return -XEN_EINVAL;
    e = &t->entries[ref];
    flags = __atomic_load_n(&e->flags, __ATOMIC_RELAXED);
    /*
     * Xen sets GTF_reading/GTF_writing with its own atomic updates of the
     * same word; the exchange fails (and reloads flags) if it races us.
     */
    do {
        if (flags & (GTF_reading | GTF_writing))
            return -XEN_EBUSY;
    } while (!__atomic_compare_exchange_n(&e->flags, &flags, 0, false,
                                          __ATOMIC_SEQ_CST,
                                          __ATOMIC_RELAXED));
    ref_set_used(t, ref, false);
    return 0;
}
