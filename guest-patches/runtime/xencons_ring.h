/*
 * xencons_ring.h: the producer side of the PV console's output ring and
 * the consumer side of its input ring (struct xencons_interface,
 * xen/io/console.h). Pure: no hypercalls; the caller notifies the backend.
 *
 * out[] is 2048 bytes, in[] 1024. out_prod and in_cons (written by us) and
 * out_cons and in_prod (written by the backend in another domain) are
 * free-running 32-bit counters that wrap at 2^32; a byte's slot is its
 * counter masked with MASK_XENCONS_IDX. A ring holds prod - cons bytes
 * (mod 2^32).
 */
#ifndef CHAOS_RT_XENCONS_RING_H
#define CHAOS_RT_XENCONS_RING_H

#include "xen_iface.h"

/*
 * Appends up to len bytes of buf to the output ring and returns how many
 * were appended: all of them, or as many as fit. out_cons is read exactly
 * once, so the space computed cannot be changed under us by the backend;
 * the data is written before out_prod is published (wmb), so the backend
 * never sees a slot before its contents. Indices that claim more than
 * 2048 bytes in use (a broken or hostile backend) are treated as a full
 * ring. The caller must notify the console event channel when the return
 * value is non-zero.
 */
size_t xencons_out_put(struct xencons_interface *intf, const char *buf,
                       size_t len);

/*
 * True when xencons_out_put() would append at least one byte (false also
 * for the broken indices it treats as a full ring).
 */
bool xencons_out_has_room(const struct xencons_interface *intf);

/* True when the backend has consumed everything we produced. */
bool xencons_out_drained(const struct xencons_interface *intf);

/*
 * Takes up to len bytes from the input ring into buf, oldest first, and
 * returns how many were taken; in_cons moves past them. in_prod is read
 * exactly once, before the slots it covers (rmb), and every slot is
 * masked into in[], so no index value makes us read outside it; the slots
 * are read before in_cons is published (mb), so the backend never reuses
 * a slot we have not read. Indices that claim more than 1024 bytes in use
 * (a broken or hostile backend) drop everything: in_cons is set to that
 * in_prod and 0 is returned. The caller must notify the console event
 * channel whenever in_cons moved.
 */
size_t xencons_in_get(struct xencons_interface *intf, char *buf, size_t len);

#endif
