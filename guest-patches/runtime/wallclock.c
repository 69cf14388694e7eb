/*
 * wallclock.c: the time of day, declared in wallclock.h.
 */
#include "barrier.h"
#include "shinfo.h"
#include "time.h"
#include "wallclock.h"

uint64_t wallclock_now_sec(void)
{
    const struct shared_info *s = xen_shared_info;
    uint32_t version, nsec;
    uint64_t sec;

    do {
        version = READ_ONCE(s->wc_version);
        rmb();
        sec = (uint64_t)READ_ONCE(s->xen_wc_sec_hi) << 32 |
              READ_ONCE(s->wc_sec);
        nsec = READ_ONCE(s->wc_nsec);
        rmb();
    } while ((version & 1) || version != READ_ONCE(s->wc_version));
    return sec + (nsec + time_now_ns()) / NSEC_PER_SEC;
}
