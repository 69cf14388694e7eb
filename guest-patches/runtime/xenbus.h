/*
 * xenbus.h: a XenStore client over the store ring (xen/io/xs_wire.h),
 * for a guest started by a XenStore toolstack (xl). The ring is the page
 * start_info->store_mfn names, its event channel store_evtchn.
 *
 * Synchronous: one request at a time, waiting for its reply by polling
 * the store port (which stays masked: no upcall handler). No watches: a
 * caller that waits for a key to change re-reads it (xenbus_wait_int).
 * Not for use from event handlers.
 */
#ifndef CHAOS_RT_XENBUS_H
#define CHAOS_RT_XENBUS_H

#include "xen_iface.h"

/* How long one request may wait for room in the ring and for its reply. */
#define XENBUS_TIMEOUT_NS (10ULL * 1000000000ULL)

/* Finds the store ring. Returns 0, or -XEN_ENODEV without one. */
int xenbus_init(const start_info_t *si);

/*
 * Reads PATH (relative paths are under our /local/domain/DOMID) into BUF
 * as a NUL-terminated string. Returns 0; -XEN_ENOENT when it does not
 * exist; -XEN_E2BIG when the value does not fit in LEN - 1 bytes;
 * -XEN_ETIMEDOUT; -XEN_EIO for an error or a malformed reply.
 */
int xenbus_read(const char *path, char *buf, size_t len);

/* Writes VALUE to PATH. Returns 0 or a negative Xen errno as above. */
int xenbus_write(const char *path, const char *value);

/* xenbus_read of a decimal unsigned value into *VALUE. -XEN_EINVAL when
 * it is not one. */
int xenbus_read_uint(const char *path, unsigned long *value);

/* xenbus_write of a decimal unsigned value. */
int xenbus_write_uint(const char *path, unsigned long value);

/*
 * Re-reads the decimal value at PATH until want(value) holds, at most
 * TIMEOUT_NS, and stores the last value read in *VALUE. A missing key
 * counts as 0. Returns 0, -XEN_ETIMEDOUT, or another error of
 * xenbus_read_uint.
 */
int xenbus_wait_uint(const char *path, bool (*want)(unsigned long value),
                     uint64_t timeout_ns, unsigned long *value);

#endif
