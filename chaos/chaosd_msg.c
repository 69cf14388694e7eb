/*
 * chaosd_msg: encoding and validating chaosd protocol messages. See
 * chaosd_msg.h.
 */
#include "chaosd_msg.h"

#include <string.h>

static int reject(const char **why, const char *what)
{
    *why = what;
    return -1;
}

static int has_nul(const char *s, size_t len)
{
    return len > 0 && memchr(s, '\0', len) != NULL;
}

int chaosd_decode(const void *buf, size_t len, size_t n_fds,
                  struct chaosd_msg *out, const char **why)
{
    const unsigned char *p = buf;
    const unsigned char *body;
    size_t body_len;

    memset(out, 0, sizeof(*out));
    if (len < sizeof(out->hdr))
        return reject(why, "message shorter than its header");
    if (len > CHAOSD_MSG_MAX)
        return reject(why, "message longer than CHAOSD_MSG_MAX");
    /* Copied once: the header is not read from BUF again. */
    memcpy(&out->hdr, p, sizeof(out->hdr));
    if (out->hdr.magic != CHAOSD_MAGIC)
        return reject(why, "bad magic");
    if (out->hdr.version != CHAOSD_VERSION)
        return reject(why, "unsupported protocol version");
    body = p + sizeof(out->hdr);
    body_len = len - sizeof(out->hdr);
    if (out->hdr.len != body_len)
        return reject(why, "body length does not match the message");

    switch (out->hdr.type) {
    case CHAOSD_CREATE: {
        struct chaosd_create c;
        size_t rest;

        if (body_len < sizeof(c))
            return reject(why, "create body too short");
        memcpy(&c, body, sizeof(c));
        if (c.flags & ~CHAOSD_CREATE_FLAGS)
            return reject(why, "unknown create flags");
        if (c.n_fds < 1 || c.n_fds > 2)
            return reject(why, "create needs one or two descriptors");
        if (c.n_fds != n_fds)
            return reject(why, "descriptors received differ from n_fds");
        rest = body_len - sizeof(c);
        if (c.source_len > rest || c.config_len != rest - c.source_len)
            return reject(why, "create string lengths do not match the body");
        out->u.create.flags = c.flags;
        out->u.create.n_fds = c.n_fds;
        out->u.create.source = (const char *)body + sizeof(c);
        out->u.create.source_len = c.source_len;
        out->u.create.config = out->u.create.source + c.source_len;
        out->u.create.config_len = c.config_len;
        if (has_nul(out->u.create.source, c.source_len))
            return reject(why, "NUL in the source name");
        return 0;
    }
    case CHAOSD_DESTROY: {
        struct chaosd_domid d;

        if (body_len != sizeof(d))
            return reject(why, "destroy body has the wrong size");
        if (n_fds != 0)
            return reject(why, "destroy carries no descriptors");
        memcpy(&d, body, sizeof(d));
        out->u.domid = d.domid;
        return 0;
    }
    case CHAOSD_DESTROY_NAMED: {
        struct chaosd_destroy_named d;

        if (body_len < sizeof(d))
            return reject(why, "destroy body too short");
        if (n_fds != 0)
            return reject(why, "destroy carries no descriptors");
        memcpy(&d, body, sizeof(d));
        if (d.flags & ~CHAOSD_DESTROY_FLAGS)
            return reject(why, "unknown destroy flags");
        if (d.domain_len != body_len - sizeof(d))
            return reject(why, "destroy domain length does not match the body");
        if (d.domain_len < 1 || d.domain_len > CHAOSD_DOMAIN_MAX)
            return reject(why, "destroy domain is empty or too long");
        out->u.named.flags = d.flags;
        out->u.named.domain = (const char *)body + sizeof(d);
        out->u.named.domain_len = d.domain_len;
        if (has_nul(out->u.named.domain, d.domain_len))
            return reject(why, "NUL in the destroy domain");
        return 0;
    }
    case CHAOSD_POOL:
        if (body_len != 0)
            return reject(why, "pool request has a body");
        if (n_fds != 0)
            return reject(why, "pool request carries no descriptors");
        return 0;
    case CHAOSD_CONSOLE: {
        struct chaosd_console c;

        if (body_len != sizeof(c))
            return reject(why, "console body has the wrong size");
        if (n_fds != 0)
            return reject(why, "console request carries no descriptors");
        memcpy(&c, body, sizeof(c));
        if (c.flags & ~CHAOSD_CONSOLE_FLAGS)
            return reject(why, "unknown console flags");
        out->u.console.domid = c.domid;
        out->u.console.flags = c.flags;
        return 0;
    }
    case CHAOSD_CONSOLE_DATA:
        /* body_len is at most CHAOSD_DATA_MAX: the message is at most
         * CHAOSD_MSG_MAX, checked above. Any byte values are allowed. */
        if (n_fds != 0)
            return reject(why, "console data carries no descriptors");
        if (out->hdr.seq != 0)
            return reject(why, "console data has a non-zero seq");
        out->u.data.bytes = body;
        out->u.data.len = body_len;
        return 0;
    case CHAOSD_REPLY: {
        struct chaosd_reply r;

        if (body_len < sizeof(r))
            return reject(why, "reply body too short");
        if (n_fds != 0)
            return reject(why, "a reply carries no descriptors");
        memcpy(&r, body, sizeof(r));
        if (r.err_len > body_len - sizeof(r) ||
            r.out_len != body_len - sizeof(r) - r.err_len)
            return reject(why, "reply text lengths do not match the body");
        out->u.reply.status = r.status;
        out->u.reply.domid = r.domid;
        out->u.reply.err = (const char *)body + sizeof(r);
        out->u.reply.err_len = r.err_len;
        out->u.reply.out = out->u.reply.err + r.err_len;
        out->u.reply.out_len = r.out_len;
        if (has_nul(out->u.reply.err, r.err_len) ||
            has_nul(out->u.reply.out, r.out_len))
            return reject(why, "NUL in the reply text");
        return 0;
    }
    default:
        return reject(why, "unknown message type");
    }
}

/* Writes a header for TYPE/SEQ with a body of BODY_LEN bytes into BUF;
 * returns the total length, or 0 when it does not fit. */
static size_t put_header(void *buf, size_t size, uint16_t type, uint32_t seq,
                         size_t body_len)
{
    struct chaosd_hdr h = {
        .magic = CHAOSD_MAGIC, .version = CHAOSD_VERSION, .type = type,
        .seq = seq, .len = (uint32_t)body_len,
    };

    if (body_len > CHAOSD_MSG_MAX - sizeof(h) || size < sizeof(h) + body_len)
        return 0;
    memcpy(buf, &h, sizeof(h));
    return sizeof(h) + body_len;
}

size_t chaosd_encode_create(void *buf, size_t size, uint32_t seq,
                            uint32_t flags, uint32_t n_fds,
                            const char *source, size_t source_len,
                            const char *config, size_t config_len)
{
    struct chaosd_create c = {
        .flags = flags, .n_fds = n_fds, .source_len = (uint32_t)source_len,
        .config_len = (uint32_t)config_len,
    };
    unsigned char *p = buf;
    size_t total;

    if ((flags & ~CHAOSD_CREATE_FLAGS) || n_fds < 1 || n_fds > 2 ||
        source_len > CHAOSD_MSG_MAX || config_len > CHAOSD_MSG_MAX ||
        has_nul(source, source_len))
        return 0;
    total = put_header(buf, size, CHAOSD_CREATE, seq,
                       sizeof(c) + source_len + config_len);
    if (!total)
        return 0;
    p += sizeof(struct chaosd_hdr);
    memcpy(p, &c, sizeof(c));
    if (source_len)
        memcpy(p + sizeof(c), source, source_len);
    if (config_len)
        memcpy(p + sizeof(c) + source_len, config, config_len);
    return total;
}

size_t chaosd_encode_destroy(void *buf, size_t size, uint32_t seq,
                             uint32_t domid)
{
    struct chaosd_domid d = { .domid = domid };
    size_t total = put_header(buf, size, CHAOSD_DESTROY, seq, sizeof(d));

    if (total)
        memcpy((unsigned char *)buf + sizeof(struct chaosd_hdr), &d,
               sizeof(d));
    return total;
}

size_t chaosd_encode_destroy_named(void *buf, size_t size, uint32_t seq,
                                   uint32_t flags, const char *domain,
                                   size_t domain_len)
{
    struct chaosd_destroy_named d = {
        .flags = flags, .domain_len = (uint32_t)domain_len,
    };
    unsigned char *p = buf;
    size_t total;

    if ((flags & ~CHAOSD_DESTROY_FLAGS) || domain_len < 1 ||
        domain_len > CHAOSD_DOMAIN_MAX || has_nul(domain, domain_len))
        return 0;
    total = put_header(buf, size, CHAOSD_DESTROY_NAMED, seq,
                       sizeof(d) + domain_len);
    if (!total)
        return 0;
    p += sizeof(struct chaosd_hdr);
    memcpy(p, &d, sizeof(d));
    memcpy(p + sizeof(d), domain, domain_len);
    return total;
}

size_t chaosd_encode_pool(void *buf, size_t size, uint32_t seq)
{
    return put_header(buf, size, CHAOSD_POOL, seq, 0);
}

size_t chaosd_encode_console(void *buf, size_t size, uint32_t seq,
                             uint32_t domid, uint32_t flags)
{
    struct chaosd_console c = { .domid = domid, .flags = flags };
    size_t total;

    if (flags & ~CHAOSD_CONSOLE_FLAGS)
        return 0;
    total = put_header(buf, size, CHAOSD_CONSOLE, seq, sizeof(c));
    if (total)
        memcpy((unsigned char *)buf + sizeof(struct chaosd_hdr), &c,
               sizeof(c));
    return total;
}

size_t chaosd_encode_console_data(void *buf, size_t size, const void *bytes,
                                  size_t len)
{
    size_t total;

    if (len > CHAOSD_DATA_MAX)
        return 0;
    total = put_header(buf, size, CHAOSD_CONSOLE_DATA, 0, len);
    if (total && len)
        memcpy((unsigned char *)buf + sizeof(struct chaosd_hdr), bytes, len);
    return total;
}

size_t chaosd_encode_reply(void *buf, size_t size, uint32_t seq,
                           int32_t status, uint32_t domid, const char *err,
                           size_t err_len, const char *out, size_t out_len)
{
    struct chaosd_reply r = {
        .status = status, .domid = domid, .err_len = (uint32_t)err_len,
        .out_len = (uint32_t)out_len,
    };
    unsigned char *p = buf;
    size_t total;

    if (err_len > CHAOSD_MSG_MAX || out_len > CHAOSD_MSG_MAX ||
        has_nul(err, err_len) || has_nul(out, out_len))
        return 0;
    total = put_header(buf, size, CHAOSD_REPLY, seq,
                       sizeof(r) + err_len + out_len);
    if (!total)
        return 0;
    p += sizeof(struct chaosd_hdr);
    memcpy(p, &r, sizeof(r));
    if (err_len)
        memcpy(p + sizeof(r), err, err_len);
    if (out_len)
        memcpy(p + sizeof(r) + err_len, out, out_len);
    return total;
}
