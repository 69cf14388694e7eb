/*
 * gnttab.h: our grant table (v1), through which we let other domains map
 * our pages.
 *
 * For a PV guest, GNTTABOP_setup_table returns the table's MACHINE frames;
 * we map them over page-aligned bss pages. Entries 0-7 are reserved
 * (0 and 1 carry the toolstack's console and xenstore grants).
 */
#ifndef CHAOS_RT_GNTTAB_H
#define CHAOS_RT_GNTTAB_H

#include "xen_iface.h"

/* Frames of the table we set up: 512 entries each. */
#define GNTTAB_NR_FRAMES 1

/* Sets up and maps the table. Returns 0 or a negative Xen errno/GNTST_*. */
int gnttab_init(void);

/*
 * Grants domid access to machine frame mfn, read-only if readonly.
 * Returns 0 and the reference in *ref, or a negative Xen errno (also when
 * gnttab_init() has not succeeded).
 */
int gnttab_grant_access(domid_t domid, xen_pfn_t mfn, bool readonly,
                        grant_ref_t *ref);

/*
 * Revokes ref unless the grantee still has the frame mapped. Returns 0,
 * -XEN_EBUSY (still in use: retry later) or -XEN_EINVAL.
 */
int gnttab_end_access(grant_ref_t ref);

/*
 * Maps page REF that domain DOM grants us, read-write, at the page-aligned
 * address VA of our own memory (the page that was there is no longer
 * reachable). Returns 0 and the mapping's handle in *HANDLE, or a
 * negative Xen errno or GNTST_* status.
 */
int gnttab_map(domid_t dom, grant_ref_t ref, void *va, grant_handle_t *handle);

#endif
