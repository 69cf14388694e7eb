/*
 * gnttab_table.h: allocation and publication of grant table v1 entries
 * (grant_entry_v1_t, xen/grant_table.h) in memory the caller provides.
 * Pure: no hypercalls, so the logic runs on a plain array in the host
 * tests; gnttab.c points it at the real, Xen-shared table.
 *
 * An entry's flags word is shared with Xen: Xen sets GTF_reading and
 * GTF_writing while the grantee has the frame mapped or is copying it.
 * Not thread-safe: callers serialise grant/end on one table.
 */
#ifndef CHAOS_RT_GNTTAB_TABLE_H
#define CHAOS_RT_GNTTAB_TABLE_H

#include "xen_iface.h"

#define GNTTAB_BITS_PER_LONG (sizeof(unsigned long) * 8)
/* Length of the in-use bitmap, in unsigned longs, for n entries. */
#define GNTTAB_USED_LONGS(n) \
    (((n) + GNTTAB_BITS_PER_LONG - 1) / GNTTAB_BITS_PER_LONG)

struct gnttab_table {
    grant_entry_v1_t *entries;
    unsigned long *used;        /* one bit per entry: reference handed out */
    grant_ref_t nr_entries;
};

/*
 * Takes over entries[nr_entries] with the in-use bitmap used
 * (GNTTAB_USED_LONGS(nr_entries) longs). References below
 * GNTTAB_NR_RESERVED_ENTRIES belong to the toolstack (0: console,
 * 1: xenstore) and are never handed out; the entries are not modified.
 */
void gnttab_table_init(struct gnttab_table *t, grant_entry_v1_t *entries,
                       grant_ref_t nr_entries, unsigned long *used);

/*
 * Grants domid access to frame (for a PV guest: a machine frame number),
 * read-only if readonly. Picks the lowest free reference, writes domid and
 * frame, and only then (wmb) sets flags to GTF_permit_access
 * [| GTF_readonly], so Xen never sees a valid entry with stale contents.
 * Returns 0 and stores the reference in *ref, or -XEN_ENOSPC when every
 * reference is in use.
 */
int gnttab_table_grant(struct gnttab_table *t, domid_t domid, uint32_t frame,
                       bool readonly, grant_ref_t *ref);

/*
 * Revokes reference ref. The flags word is cleared with a compare-and-
 * exchange that only succeeds while neither GTF_reading nor GTF_writing is
 * set, so a frame the grantee still uses is never revoked under it.
 * Returns 0 when revoked (the reference is free again), -XEN_EBUSY when
 * the grantee still uses it (nothing changed: retry later), -XEN_EINVAL
 * when ref is reserved, out of range or not handed out.
 */
int gnttab_table_end(struct gnttab_table *t, grant_ref_t ref);

#endif
