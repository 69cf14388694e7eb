/*
 * bytering.h: one direction of a Xen byte ring, as the console
 * (xen/io/console.h) and XenStore (xen/io/xs_wire.h) rings are: an array
 * of SIZE one-byte slots (a power of two) and two free-running 32-bit
 * counters that wrap at 2^32, the producer's and the consumer's, each
 * written by one side only. A byte's slot is its counter modulo SIZE; the
 * ring holds prod - cons bytes (mod 2^32). Pure: no hypercalls, the caller
 * notifies the other end.
 *
 * The other end is in another domain: its counter is read exactly once
 * per call, and counters that claim more than SIZE bytes in use are
 * treated as broken (see each function), so no value it writes makes us
 * touch memory outside the array.
 */
#ifndef CHAOS_RT_BYTERING_H
#define CHAOS_RT_BYTERING_H

#include <stddef.h>
#include <stdint.h>

/*
 * Appends up to LEN bytes of BUF and returns how many were appended: all
 * of them, or as many as fit. *CONS is read once, before any slot is
 * written (mb), and the slots are written before *PROD is published (wmb),
 * so the consumer never sees a slot before its contents. Broken counters
 * count as a full ring: nothing is appended.
 */
size_t bytering_put(char *ring, uint32_t size, uint32_t *prod,
                    const uint32_t *cons, const void *buf, size_t len);

/*
 * Takes up to LEN bytes into BUF, oldest first, and returns how many were
 * taken; *CONS moves past them. *PROD is read once, before the slots it
 * covers (rmb), and the slots are read before *CONS is published (mb), so
 * the producer never reuses a slot not yet read. Broken counters drop
 * everything: *CONS is set to that *PROD and 0 is returned.
 */
size_t bytering_get(const char *ring, uint32_t size, const uint32_t *prod,
                    uint32_t *cons, void *buf, size_t len);

/* Bytes in use, or SIZE + 1 when the counters are broken. */
uint32_t bytering_used(uint32_t size, const uint32_t *prod,
                       const uint32_t *cons);

#endif
