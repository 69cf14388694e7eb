/*
 * xswire: batches of xenstore requests, pipelined. See xswire.h.
 */
#include <errno.h>

#include "xswire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int xswire_open(struct xswire *xw, const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    memset(xw, 0, sizeof(*xw));
    xw->fd = -1;
    if (strlen(path) >= sizeof(addr.sun_path))
        return ENAMETOOLONG;
    strcpy(addr.sun_path, path);
    xw->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (xw->fd < 0)
        return errno;
    if (connect(xw->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        int e = errno;

        close(xw->fd);
        xw->fd = -1;
        return e;
    }
    return 0;
}

void xswire_close(struct xswire *xw)
{
    if (xw->fd >= 0)
        close(xw->fd);
    free(xw->buf);
    memset(xw, 0, sizeof(*xw));
    xw->fd = -1;
}

static bool reserve(struct xswire *xw, size_t more)
{
    char *b;
    size_t cap = xw->cap ? xw->cap : 4096;

    if (xw->len + more <= xw->cap)
        return true;
    while (cap < xw->len + more)
        cap *= 2;
    b = realloc(xw->buf, cap);
    if (!b)
        return false;
    xw->buf = b;
    xw->cap = cap;
    return true;
}

void xswire_add(struct xswire *xw, enum xsd_sockmsg_type type,
                const char *const *parts, size_t n)
{
    struct xsd_sockmsg h = { .type = type, .req_id = xw->n_requests,
                             .tx_id = xw->tx };
    size_t payload = 0, at;

    for (size_t i = 0; i < n; i++)
        payload += strlen(parts[i]) + !(type == XS_WRITE && i == n - 1);
    if (xw->oom || payload > XENSTORE_PAYLOAD_MAX ||
        !reserve(xw, sizeof(h) + payload)) {
        xw->oom = true;
        return;
    }
    h.len = (uint32_t)payload;
    memcpy(xw->buf + xw->len, &h, sizeof(h));
    at = xw->len + sizeof(h);
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(parts[i]) + !(type == XS_WRITE && i == n - 1);

        memcpy(xw->buf + at, parts[i], l);  /* with its NUL, but a value */
        at += l;
    }
    xw->len = at;
    xw->n_requests++;
}

void xswire_write(struct xswire *xw, const char *path, const char *value)
{
    xswire_add(xw, XS_WRITE, (const char *const[]){ path, value }, 2);
}

void xswire_mkdir(struct xswire *xw, const char *path)
{
    xswire_add(xw, XS_MKDIR, &path, 1);
}

void xswire_rm(struct xswire *xw, const char *path)
{
    xswire_add(xw, XS_RM, &path, 1);
}

void xswire_set_perms(struct xswire *xw, const char *path,
                      const char *const *perms, size_t n_perms)
{
    const char *parts[8];

    if (n_perms > 7) {
        xw->oom = true;
        return;
    }
    parts[0] = path;
    memcpy(parts + 1, perms, n_perms * sizeof(*perms));
    xswire_add(xw, XS_SET_PERMS, parts, n_perms + 1);
}

/* The errno named by xenstored's error reply TEXT. */
static int error_number(const char *text)
{
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (strcmp(text, xsd_errors[i].errstring) == 0)
            return xsd_errors[i].errnum;
    return EIO;
}

/* Reads exactly LEN bytes, through the buffer of received bytes RB. */
struct rbuf {
    char data[16384];
    size_t start, end;
};

static int read_exact(int fd, struct rbuf *rb, void *out, size_t len)
{
    char *o = out;

    while (len > 0) {
        size_t have = rb->end - rb->start;

        if (have == 0) {
            ssize_t n = read(fd, rb->data, sizeof(rb->data));

            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return n < 0 ? errno : EPIPE;
            rb->start = 0;
            rb->end = (size_t)n;
            continue;
        }
        if (have > len)
            have = len;
        memcpy(o, rb->data + rb->start, have);
        rb->start += have;
        o += have;
        len -= have;
    }
    return 0;
}

int xswire_flush(struct xswire *xw, bool enoent_ok, size_t *failed,
                 char **replies)
{
    struct rbuf *rb = NULL;
    size_t sent = 0;
    uint32_t n = xw->n_requests;
    int first_err = 0, rc;

    if (xw->oom) {
        rc = ENOMEM;
        goto out;
    }
    while (sent < xw->len) {
        ssize_t w = send(xw->fd, xw->buf + sent, xw->len - sent, MSG_NOSIGNAL);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = w < 0 ? errno : EPIPE;
            goto out;
        }
        sent += (size_t)w;
    }
    rb = malloc(sizeof(*rb));
    if (!rb) {
        rc = ENOMEM;
        goto out;
    }
    rb->start = rb->end = 0;
    for (uint32_t i = 0; i < n;) {
        struct xsd_sockmsg h;
        char *payload;

        rc = read_exact(xw->fd, rb, &h, sizeof(h));
        if (rc)
            goto out;
        if (h.len > XENSTORE_PAYLOAD_MAX) {
            rc = EIO;
            goto out;
        }
        payload = malloc(h.len + 1);
        if (!payload) {
            rc = ENOMEM;
            goto out;
        }
        rc = read_exact(xw->fd, rb, payload, h.len);
        if (rc) {
            free(payload);
            goto out;
        }
        payload[h.len] = '\0';
        if (h.type == XS_WATCH_EVENT) {     /* not a reply */
            free(payload);
            continue;
        }
        if (h.req_id != i) {
            free(payload);
            rc = EIO;
            goto out;
        }
        if (h.type == XS_ERROR) {
            int e = error_number(payload);

            free(payload);
            payload = NULL;
            if (!first_err && !(enoent_ok && e == ENOENT)) {
                first_err = e;
                if (failed)
                    *failed = i;
            }
        }
        if (replies)
            replies[i] = payload;
        else
            free(payload);
        i++;
    }
    rc = first_err;
out:
    free(rb);
    xw->len = 0;
    xw->n_requests = 0;
    xw->oom = false;
    return rc;
}

int xswire_begin(struct xswire *xw)
{
    char *reply[1] = { NULL };
    char *end;
    unsigned long id;
    int rc;

    xw->tx = 0;
    xswire_add(xw, XS_TRANSACTION_START, (const char *const[]){ "" }, 1);
    rc = xswire_flush(xw, false, NULL, reply);
    if (!rc) {
        errno = 0;
        id = strtoul(reply[0] ? reply[0] : "", &end, 10);
        if (errno || !reply[0] || end == reply[0] || id == 0 ||
            id > UINT32_MAX)
            rc = EIO;
        else
            xw->tx = (uint32_t)id;
    }
    free(reply[0]);
    return rc;
}

int xswire_end(struct xswire *xw, bool abort)
{
    int rc;

    xswire_add(xw, XS_TRANSACTION_END,
               (const char *const[]){ abort ? "F" : "T" }, 1);
    rc = xswire_flush(xw, false, NULL, NULL);
    xw->tx = 0;
    return rc;
}
