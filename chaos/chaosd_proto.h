/*
 * chaosd_proto.h: the wire protocol between chaos and chaosd, version 1.
 *
 * Self-contained: both sides include only this and <stdint.h>.
 *
 * Transport: a SOCK_SEQPACKET UNIX socket, one message per packet, at most
 * CHAOSD_MSG_MAX bytes. A message is a struct chaosd_hdr followed by
 * exactly hdr.len bytes of body, laid out as its type says. Every request
 * gets one CHAOSD_REPLY carrying the request's seq. File descriptors
 * travel beside a message (SCM_RIGHTS): a CREATE carries its kernel and,
 * optionally, its ramdisk, so that chaosd never opens a path a client
 * named.
 *
 * Integers are in the host's byte order (both ends share a host). Strings
 * are counted, not NUL-terminated, and must hold no NUL. Fields are only
 * ever added at the end of a body, with a new version; a receiver rejects
 * a version it does not speak.
 */
#ifndef CHAOSD_PROTO_H
#define CHAOSD_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define CHAOSD_MAGIC 0x4f414843u        /* "CHAO" in memory, little endian */
#define CHAOSD_VERSION 1
#define CHAOSD_MSG_MAX (64 * 1024)

struct chaosd_hdr {
    uint32_t magic;             /* CHAOSD_MAGIC */
    uint16_t version;           /* CHAOSD_VERSION */
    uint16_t type;              /* enum chaosd_type */
    uint32_t seq;               /* chosen by the client, echoed in the reply */
    uint32_t len;               /* bytes of body after this header */
};

enum chaosd_type {
    CHAOSD_CREATE = 1,          /* struct chaosd_create, SOURCE, CONFIG */
    CHAOSD_DESTROY = 2,         /* struct chaosd_domid */
    CHAOSD_POOL = 3,            /* no body: the pools' state, as text */
    CHAOSD_REPLY = 0x100,       /* struct chaosd_reply, ERR, OUT */
};

#define CHAOSD_CREATE_PAUSED 0x1u
#define CHAOSD_CREATE_FLAGS CHAOSD_CREATE_PAUSED    /* every known flag */

/* Followed by source_len bytes naming the configuration (for messages),
 * then config_len bytes of configuration text; one or two descriptors
 * (kernel, ramdisk) come with it. */
struct chaosd_create {
    uint32_t flags;             /* CHAOSD_CREATE_* */
    uint32_t n_fds;             /* 1 or 2 */
    uint32_t source_len;
    uint32_t config_len;
};

struct chaosd_domid {
    uint32_t domid;
};

/* Followed by err_len bytes for the client's stderr, then out_len bytes
 * for its stdout. */
struct chaosd_reply {
    int32_t status;             /* the exit status xl would have */
    uint32_t domid;             /* the domain made or acted on, if any */
    uint32_t err_len;
    uint32_t out_len;
};

_Static_assert(sizeof(struct chaosd_hdr) == 16, "chaosd_hdr layout");
_Static_assert(offsetof(struct chaosd_hdr, len) == 12, "chaosd_hdr layout");
_Static_assert(sizeof(struct chaosd_create) == 16, "chaosd_create layout");
_Static_assert(sizeof(struct chaosd_domid) == 4, "chaosd_domid layout");
_Static_assert(sizeof(struct chaosd_reply) == 16, "chaosd_reply layout");

#endif
