/*
 * consring: the dom0 end of a domain's PV console ring (xen/io/console.h),
 * shared by chaos console and chaosd's console server.
 *
 * The guest writes the ring: its indices are untrusted. Each call reads
 * the indices the guest owns once, and whatever they hold only selects
 * bytes inside the ring; a guest whose indices are further apart than the
 * ring is large gets the newest ring's worth (output) or nothing (input).
 */
#ifndef CHAOS_CONSRING_H
#define CHAOS_CONSRING_H

#include <stddef.h>
#include <stdint.h>

#include <xen/io/console.h>

#define CONSRING_OUT_SIZE sizeof(((struct xencons_interface *)0)->out)

/*
 * Copies to BUF (CONSRING_OUT_SIZE bytes) the output the guest wrote that
 * nobody has consumed, and marks it consumed. Returns the byte count; the
 * caller notifies the guest when it is not 0.
 */
size_t consring_take(struct xencons_interface *ring, char *buf);

/*
 * Copies to BUF (CONSRING_OUT_SIZE bytes) what the ring still holds of
 * the output before out_cons, the output someone already consumed,
 * without consuming anything. Returns the byte count.
 */
size_t consring_consumed(const struct xencons_interface *ring, char *buf);

/* Copies to BUF (CONSRING_OUT_SIZE bytes) all the output the ring still
 * holds, consumed or not, consuming nothing. Returns the byte count. */
size_t consring_all(const struct xencons_interface *ring, char *buf);

/*
 * Puts up to LEN bytes from P into the guest's input ring. Returns how
 * many fitted; the caller notifies the guest when it is not 0.
 */
size_t consring_put(struct xencons_interface *ring, const char *p,
                    size_t len);

#endif
