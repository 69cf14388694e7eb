/*
 * chaosd_proto.h: the wire protocol between chaos and chaosd, version 1.
 *
 * Self-contained: both sides include only this and <stdint.h>.
 *
 * Transport: a SOCK_SEQPACKET UNIX socket, one message per packet, at most
 * CHAOSD_MSG_MAX bytes. A message is a struct chaosd_hdr followed by
 * exactly hdr.len bytes of body, laid out as its type says. Every request
 * (CREATE, DESTROY, DESTROY_NAMED, POOL, CONSOLE) gets one CHAOSD_REPLY
 * carrying the request's seq; CONSOLE_DATA is not a request and gets no
 * reply. File descriptors travel beside a message (SCM_RIGHTS): a CREATE
 * carries its kernel and, optionally, its ramdisk, so that chaosd never
 * opens a path a client named. No other message carries any. A client
 * with no more requests may shut its sending side (shutdown(SHUT_WR))
 * without waiting for the replies: chaosd answers every request sent
 * before that, then closes the connection.
 *
 * Integers are in the host's byte order (both ends share a host). Strings
 * are counted, not NUL-terminated, and must hold no NUL; console bytes
 * (CONSOLE_DATA) are not strings and may hold any value. Fields are only
 * ever added at the end of a body, with a new version; a receiver rejects
 * a version it does not speak. Message types are only ever added, within a
 * version, with new numbers (never renumbered or reused): a receiver
 * rejects a type it does not know as unknown, so an older chaosd answers a
 * newer request with an error reply ("unknown message type"), not silence.
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
    CHAOSD_CONSOLE = 4,         /* struct chaosd_console */
    CHAOSD_CONSOLE_DATA = 5,    /* 0 to CHAOSD_DATA_MAX console bytes */
    CHAOSD_DESTROY_NAMED = 6,   /* struct chaosd_destroy_named, DOMAIN */
    CHAOSD_REPLY = 0x100,       /* struct chaosd_reply, ERR, OUT */
};

/* The most console bytes one CHAOSD_CONSOLE_DATA carries. */
#define CHAOSD_DATA_MAX (CHAOSD_MSG_MAX - sizeof(struct chaosd_hdr))

/* A reply status that is never an exit status: chaosd does not serve the
 * console asked for (see struct chaosd_console). */
#define CHAOSD_STATUS_ELSEWHERE (-1)

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

#define CHAOSD_DESTROY_FORCE 0x1u  /* domain 0 too, as xl destroy -f */
#define CHAOSD_DESTROY_FLAGS CHAOSD_DESTROY_FORCE   /* every known flag */
#define CHAOSD_DOMAIN_MAX 256       /* the longest DOMAIN of DESTROY_NAMED */

/*
 * DESTROY_NAMED: destroy the domain that DOMAIN names, as xl destroy's
 * argument does (a domid, or a domain's name). chaosd resolves it and
 * answers as xl would, errors included, so that the client needs nothing
 * of Xen. Followed by domain_len bytes of DOMAIN, 1 to CHAOSD_DOMAIN_MAX.
 */
struct chaosd_destroy_named {
    uint32_t flags;             /* CHAOSD_DESTROY_* */
    uint32_t domain_len;
};

#define CHAOSD_CONSOLE_FOLLOW 0x1u
#define CHAOSD_CONSOLE_FLAGS CHAOSD_CONSOLE_FOLLOW  /* every known flag */

/*
 * CONSOLE: attach to DOMID's console, if chaosd serves it. chaosd answers
 * with one CHAOSD_REPLY:
 *
 *  - status 0: chaosd serves that console. It then sends the console's
 *    history (what it keeps: at most 64 KiB per domain) as CONSOLE_DATA
 *    messages. Without CHAOSD_CONSOLE_FOLLOW it closes the connection after
 *    them: the client reads to end of file. With it, chaosd goes on sending
 *    the guest's output as it comes, the client may send CONSOLE_DATA
 *    messages carrying keyboard input for the guest, and the connection
 *    ends when either side closes it (chaosd closes it when the domain is
 *    gone or chaosd stops). Nothing but CONSOLE_DATA follows the reply, in
 *    either direction.
 *  - status CHAOSD_STATUS_ELSEWHERE: chaosd does not serve that console
 *    (xenconsoled or nobody does); the client reads the console itself.
 *  - any other status: an error, with its text, as for other requests.
 *
 * CONSOLE_DATA: the body is the bytes themselves, 0 to CHAOSD_DATA_MAX of
 * them, any value (NUL included); an empty one is valid and means nothing.
 * Its seq is not used and must be 0: it is a stream, not a request, and is
 * neither answered nor matched to anything. It is only sent on a
 * connection whose CONSOLE was answered with status 0.
 */
struct chaosd_console {
    uint32_t domid;
    uint32_t flags;             /* CHAOSD_CONSOLE_* */
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
_Static_assert(sizeof(struct chaosd_console) == 8, "chaosd_console layout");
_Static_assert(offsetof(struct chaosd_console, flags) == 4,
               "chaosd_console layout");
_Static_assert(sizeof(struct chaosd_destroy_named) == 8,
               "chaosd_destroy_named layout");
_Static_assert(offsetof(struct chaosd_destroy_named, domain_len) == 4,
               "chaosd_destroy_named layout");
_Static_assert(sizeof(struct chaosd_reply) == 16, "chaosd_reply layout");
_Static_assert(CHAOSD_DATA_MAX == 65520, "CONSOLE_DATA fills one message");

#endif
