/*
 * pvclock.h: Xen system time from a vcpu_time_info record (xen/xen.h).
 * Pure: the TSC is read through a callback, so the host tests can fake it.
 *
 * Xen publishes, per vcpu, a TSC stamp and the system time (ns since
 * boot) at that stamp, plus a scale: ns = ((tsc - stamp) << shift) * mul
 * / 2^32, with a negative shift meaning a right shift. While Xen rewrites
 * the record it makes version odd, and bumps it again when done.
 */
#ifndef CHAOS_RT_PVCLOCK_H
#define CHAOS_RT_PVCLOCK_H

#include "xen_iface.h"

/* Converts a TSC delta to ns with Xen's 32.32 fixed-point scale. */
uint64_t pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift);

/*
 * Current system time in ns from t: snapshots the record (retrying while
 * version is odd or changes during the read; read_tsc is called inside
 * each attempt) and extrapolates from its stamp. A TSC below the stamp
 * counts as no time elapsed.
 */
uint64_t pvclock_read(const struct vcpu_time_info *t,
                      uint64_t (*read_tsc)(void));

#endif
