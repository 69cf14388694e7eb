/*
 * time.c: Xen system time, declared in time.h.
 */
#include "pvclock.h"
#include "shinfo.h"
#include "time.h"

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

uint64_t time_now_ns(void)
{
    return pvclock_read(&shinfo_vcpu0()->time, rdtsc);
}
