/*
 * noxsd_proto.h: the control protocol of noxsd, the NOXS vif backend,
 * version 1. The toolstack (chaos, chaosd) asks it to add a domain's
 * vifs before the domain first runs and to remove them all before the
 * domain is destroyed, over a UNIX stream socket (/run/chaos/noxsd.sock
 * by default) that only root may use (mode 0600 and SO_PEERCRED).
 *
 * A message is a struct noxsd_hdr followed by exactly the body its type
 * names (len is that body's size: anything else is refused); one reply,
 * struct noxsd_reply, answers each request, in order. All fields are in
 * the host's byte order: both ends are in dom0. New types get new numbers;
 * an older noxsd answers a type it does not know with status EPROTO.
 */
#ifndef NOXSD_PROTO_H
#define NOXSD_PROTO_H

#include <stdint.h>

#define NOXSD_MAGIC 0x53584f4eu         /* "NOXS" in memory, little endian */
#define NOXSD_VERSION 1

struct noxsd_hdr {
    uint32_t magic;                     /* NOXSD_MAGIC */
    uint16_t version;                   /* NOXSD_VERSION */
    uint16_t type;                      /* enum noxsd_type */
    uint32_t seq;                       /* chosen by the client, echoed */
    uint32_t len;                       /* bytes of body after this header */
};

enum noxsd_type {
    NOXSD_VIF_ADD = 1,                  /* struct noxsd_vif_add */
    NOXSD_DOMAIN_REMOVE = 2,            /* struct noxsd_domain */
    NOXSD_REPLY = 0x100,                /* struct noxsd_reply */
};

/*
 * VIF_ADD: serve vif DEVID of DOMID. GUEST_PORT is an event channel the
 * toolstack allocated in DOMID, unbound, for dom0 (xc_evtchn_alloc_unbound).
 * noxsd binds it, shares a control page with the guest (its grant
 * reference comes back in the reply), describes the TAP vifDOMID.DEVID to
 * xendevd (BRIDGE, MTU) and makes it. BRIDGE is NUL-terminated within its
 * array; MTU 0 means the bridge's.
 */
struct noxsd_vif_add {
    uint32_t domid;
    uint32_t devid;
    uint32_t guest_port;
    uint16_t mtu;
    uint8_t mac[6];
    char bridge[16];
};

/* DOMAIN_REMOVE: stop serving every vif of DOMID and free what each held
 * (rings, control page, event channel, TAP). Removing none is not an
 * error. */
struct noxsd_domain {
    uint32_t domid;
};

#define NOXSD_TEXT_MAX 240

/* STATUS is 0 or an errno value; TEXT (NUL-terminated) says what failed
 * and on which domain when it is not 0. */
struct noxsd_reply {
    int32_t status;
    uint32_t ctrl_gref;                 /* VIF_ADD: the control page's */
    uint16_t backend_domid;             /* VIF_ADD: noxsd's own domain */
    uint16_t pad;
    char text[NOXSD_TEXT_MAX];
};

_Static_assert(sizeof(struct noxsd_hdr) == 16, "header");
_Static_assert(sizeof(struct noxsd_vif_add) == 36, "vif add");
_Static_assert(sizeof(struct noxsd_reply) == 252, "reply");

#endif
