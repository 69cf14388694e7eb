/*
 * gnttab.c: grant table setup, declared in gnttab.h.
 */
#include "gnttab.h"
#include "gnttab_table.h"
#include "hypercall.h"
#include "mm.h"

#define NR_ENTRIES \
    (GNTTAB_NR_FRAMES * XEN_PAGE_SIZE / sizeof(grant_entry_v1_t))

static char frames_area[GNTTAB_NR_FRAMES][XEN_PAGE_SIZE]
    __attribute__((aligned(XEN_PAGE_SIZE)));
static unsigned long used[GNTTAB_USED_LONGS(NR_ENTRIES)];
static struct gnttab_table table;
static bool ready;

int gnttab_init(void)
{
    xen_pfn_t frames[GNTTAB_NR_FRAMES];
    struct gnttab_setup_table setup = {
        .dom = DOMID_SELF,
        .nr_frames = GNTTAB_NR_FRAMES,
    };
    unsigned int i;
    int rc;

    set_xen_guest_handle(setup.frame_list, frames);
    rc = (int)HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &setup, 1);
    if (rc)
        return rc;
    if (setup.status != GNTST_okay)
        return setup.status;
    for (i = 0; i < GNTTAB_NR_FRAMES; i++) {
        rc = mm_map_mfn(frames_area[i], frames[i]);
        if (rc)
            return rc;
    }
    gnttab_table_init(&table, (grant_entry_v1_t *)frames_area, NR_ENTRIES,
                      used);
    ready = true;
    return 0;
}

int gnttab_grant_access(domid_t domid, xen_pfn_t mfn, bool readonly,
                        grant_ref_t *ref)
{
    if (!ready)
        return -XEN_EINVAL;
    /* A v1 entry holds a 32-bit frame number. */
    if (mfn > UINT32_MAX)
        return -XEN_EINVAL;
    return gnttab_table_grant(&table, domid, (uint32_t)mfn, readonly, ref);
}

int gnttab_end_access(grant_ref_t ref)
{
    if (!ready)
        return -XEN_EINVAL;
    return gnttab_table_end(&table, ref);
}

int gnttab_map(domid_t dom, grant_ref_t ref, void *va, grant_handle_t *handle)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = (uint64_t)(uintptr_t)va,
        .flags = GNTMAP_host_map,
        .ref = ref,
        .dom = dom,
    };
    int rc = (int)HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);

    if (rc)
        return rc;
    if (op.status != GNTST_okay)
        return op.status;
    *handle = op.handle;
    return 0;
}
