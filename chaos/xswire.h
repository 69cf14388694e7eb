/*
 * xswire: batches of xenstore requests over xenstored's socket, pipelined.
 *
 * libxenstore sends one request and waits for its reply, with four system
 * calls and two signal-mask changes each; registering a domain took ~460
 * system calls, and in a PV dom0 every system call passes through Xen.
 * A batch here is one write of every request (xen/io/xs_wire.h framing)
 * and reads of every reply: xenstored answers a connection's requests in
 * order. Used for the many small writes of a create or a destroy; the few
 * single reads elsewhere still go through libxenstore.
 */
#ifndef CHAOS_XSWIRE_H
#define CHAOS_XSWIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/io/xs_wire.h>

struct xswire {
    int fd;
    char *buf;                  /* the requests not yet sent */
    size_t len, cap;
    uint32_t n_requests;
    uint32_t tx;                /* transaction of the requests added */
    bool oom;                   /* a request could not be added */
};

/* Connects to xenstored's socket PATH. Returns 0 or an errno value. */
int xswire_open(struct xswire *xw, const char *path);
void xswire_close(struct xswire *xw);

/* Queues a request; the payload is PARTS[0..N-1], each followed by a NUL
 * except a WRITE's value (the last part of an XS_WRITE). */
void xswire_add(struct xswire *xw, enum xsd_sockmsg_type type,
                const char *const *parts, size_t n);

/* Convenience forms of xswire_add. PERMS are xenstore permission strings
 * ("n0", "r5"). */
void xswire_write(struct xswire *xw, const char *path, const char *value);
void xswire_mkdir(struct xswire *xw, const char *path);
void xswire_rm(struct xswire *xw, const char *path);
void xswire_set_perms(struct xswire *xw, const char *path,
                      const char *const *perms, size_t n_perms);

/* Starts a transaction (one round trip): later requests belong to it until
 * xswire_end. Returns 0 or an errno value. */
int xswire_begin(struct xswire *xw);

/* Ends the transaction, committing it unless ABORT (one round trip).
 * Returns 0, EAGAIN when it must be retried, or another errno value. */
int xswire_end(struct xswire *xw, bool abort);

/*
 * Sends the queued requests and reads their replies. Returns 0 when every
 * request succeeded; else the errno of the first that failed, with its
 * index in *FAILED (if FAILED is not NULL), after reading every reply. A
 * request xenstored fails with ENOENT counts as success when ENOENT_OK.
 * If REPLIES is not NULL, the payload of reply i (NUL-terminated, malloc'd)
 * is stored in REPLIES[i] (NULL for a failed request); the caller frees them.
 */
int xswire_flush(struct xswire *xw, bool enoent_ok, size_t *failed,
                 char **replies);

#endif
