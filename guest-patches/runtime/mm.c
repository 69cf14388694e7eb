/*
 * mm.c: frame number conversions and mappings, declared in mm.h.
 */
#include "hypercall.h"
#include "mm.h"

#define PTE_PRESENT 0x001UL
#define PTE_RW      0x002UL
#define PTE_USER    0x004UL

static const xen_pfn_t *p2m;
static unsigned long nr_pages;

void mm_init(const start_info_t *si)
{
    p2m = (const xen_pfn_t *)si->mfn_list;
    nr_pages = si->nr_pages;
}

unsigned long mfn_to_pfn(xen_pfn_t mfn)
{
    return ((const unsigned long *)MACH2PHYS_VIRT_START)[mfn];
}

xen_pfn_t pfn_to_mfn(unsigned long pfn)
{
    return p2m[pfn];
}

void *mfn_to_virt(xen_pfn_t mfn)
{
    unsigned long pfn = mfn_to_pfn(mfn);

    if (pfn >= nr_pages)
        return NULL;
    return (void *)(pfn << XEN_PAGE_SHIFT);
}

xen_pfn_t virt_to_mfn(const void *va)
{
    return pfn_to_mfn((unsigned long)va >> XEN_PAGE_SHIFT);
}

int mm_map_mfn(void *va, xen_pfn_t mfn)
{
    /*
     * 64-bit PV kernels run in ring 3, so Xen requires (and would force)
     * the user bit on their mappings.
     */
    uint64_t pte = ((uint64_t)mfn << XEN_PAGE_SHIFT) | PTE_PRESENT | PTE_RW |
                   PTE_USER;

    return (int)HYPERVISOR_update_va_mapping((unsigned long)va, pte,
                                             UVMF_INVLPG);
}

int mm_unmap(void *va)
{
    return (int)HYPERVISOR_update_va_mapping((unsigned long)va, 0,
                                             UVMF_INVLPG);
}
