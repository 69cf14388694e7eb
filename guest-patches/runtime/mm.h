/*
 * mm.h: frame numbers and mappings of a 64-bit PV guest.
 *
 * A PV guest sees machine frames (MFNs) directly: page tables, grant
 * entries and several start_info fields hold MFNs, not our pseudo-physical
 * frame numbers (PFNs). Xen keeps a read-only machine-to-physical table
 * (M2P) mapped in every PV guest at MACH2PHYS_VIRT_START; the builder gives
 * us the physical-to-machine list (P2M) at start_info->mfn_list. The image
 * is linked at VIRT_BASE 0 and the builder maps the whole initial area
 * linearly, so there va == pfn << 12.
 */
#ifndef CHAOS_RT_MM_H
#define CHAOS_RT_MM_H

#include "xen_iface.h"

/* Remembers start_info's P2M list and page count. Call once at boot. */
void mm_init(const start_info_t *si);

/* M2P lookup: the PFN of one of our machine frames. */
unsigned long mfn_to_pfn(xen_pfn_t mfn);

/* P2M lookup: the MFN behind one of our PFNs (pfn < nr_pages). */
xen_pfn_t pfn_to_mfn(unsigned long pfn);

/*
 * The virtual address of one of our machine frames in the initial linear
 * mapping, or NULL if M2P says it is not one of our pages.
 */
void *mfn_to_virt(xen_pfn_t mfn);

/* The MFN behind a page of the initial linear mapping. */
xen_pfn_t virt_to_mfn(const void *va);

/*
 * Maps machine frame mfn read-write at the page-aligned address va
 * (replacing whatever page was mapped there) and flushes that TLB entry.
 * The frame may be one Xen shares with us (shared_info, grant table).
 * Returns 0 or a negative Xen errno.
 */
int mm_map_mfn(void *va, xen_pfn_t mfn);

/*
 * Removes the mapping of the page-aligned address va, so that accesses
 * fault. Returns 0 or a negative Xen errno.
 */
int mm_unmap(void *va);

#endif
