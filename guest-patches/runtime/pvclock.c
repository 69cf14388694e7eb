/*
 * pvclock.c: Xen system time, declared in pvclock.h.
 */
#include "barrier.h"
#include "pvclock.h"

uint64_t pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t pvclock_read(const struct vcpu_time_info *t,
                      uint64_t (*read_tsc)(void))
{
    uint32_t version;
    uint64_t stamp, system_time, tsc;
    uint32_t mul;
    int8_t shift;

    do {
        version = READ_ONCE(t->version);
        rmb();
        stamp = READ_ONCE(t->tsc_timestamp);
        system_time = READ_ONCE(t->system_time);
        mul = READ_ONCE(t->tsc_to_system_mul);
        shift = READ_ONCE(t->tsc_shift);
        tsc = read_tsc();
        rmb();
    } while ((version & 1) || version != READ_ONCE(t->version));

    return system_time + (tsc > stamp ? pvclock_scale(tsc - stamp, mul, shift)
                                      : 0);
}
