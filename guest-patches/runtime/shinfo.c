/*
 * shinfo.c: mapping of the shared_info page, declared in shinfo.h.
 */
#include "mm.h"
#include "shinfo.h"

static char shinfo_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));

struct shared_info *xen_shared_info;

int shinfo_init(const start_info_t *si)
{
    int rc = mm_map_mfn(shinfo_page, si->shared_info >> XEN_PAGE_SHIFT);

    if (rc == 0)
        xen_shared_info = (struct shared_info *)shinfo_page;
    return rc;
}
