/*
 * noxs_abi.h: the NOXS ABI, version 1: the device page and the control
 * page (design: libnoxs/README.md). One header for guests and dom0 alike;
 * freestanding (fixed-width types only, no libc).
 *
 * Rules for later versions: fields are only added at the end of the
 * header, of an entry or of a control page half, and the sizes recorded
 * in the page grow with them. Readers use those sizes, never sizeof.
 * All fields are little-endian and naturally aligned.
 */
#ifndef NOXS_ABI_H
#define NOXS_ABI_H

#include <stdint.h>

#define NOXS_PAGE_SIZE 4096u
#define NOXS_VERSION 1u

/* --- the device page: the guest's store page in NOXS mode ------------- */

#define NOXS_DEV_MAGIC "NOXSDEV"        /* with its NUL: 8 bytes */
#define NOXS_DEV_MAX 64u                /* entries a v1 writer writes */

enum noxs_dev_type {
    NOXS_DEV_NONE = 0,
    NOXS_DEV_VIF = 1,
};

struct noxs_dev_page_hdr {
    char magic[8];                      /* NOXS_DEV_MAGIC */
    uint16_t version;                   /* NOXS_VERSION */
    uint16_t header_size;               /* bytes before entry 0 */
    uint16_t entry_size;                /* bytes per entry */
    uint16_t entry_count;
    uint32_t generation;                /* odd while being rewritten */
    uint32_t flags;                     /* 0 */
    uint8_t reserved[8];
};

struct noxs_dev_entry {
    uint16_t type;                      /* enum noxs_dev_type */
    uint16_t backend_domid;
    uint32_t devid;
    uint32_t ctrl_gref;                 /* control page, granted by backend */
    uint32_t evtchn;                    /* the guest's port, bound to backend */
    uint8_t mac[6];                     /* vif */
    uint16_t mtu;                       /* vif; 0 means 1500 */
    uint8_t reserved[8];
};

_Static_assert(sizeof(struct noxs_dev_page_hdr) == 32, "device page header");
_Static_assert(__builtin_offsetof(struct noxs_dev_page_hdr, version) == 8,
               "version");
_Static_assert(__builtin_offsetof(struct noxs_dev_page_hdr, entry_count) == 14,
               "entry_count");
_Static_assert(__builtin_offsetof(struct noxs_dev_page_hdr, generation) == 16,
               "generation");
_Static_assert(sizeof(struct noxs_dev_entry) == 32, "device entry");
_Static_assert(__builtin_offsetof(struct noxs_dev_entry, ctrl_gref) == 8,
               "ctrl_gref");
_Static_assert(__builtin_offsetof(struct noxs_dev_entry, evtchn) == 12,
               "evtchn");
_Static_assert(__builtin_offsetof(struct noxs_dev_entry, mac) == 16, "mac");
_Static_assert(__builtin_offsetof(struct noxs_dev_entry, mtu) == 22, "mtu");
_Static_assert(32 + NOXS_DEV_MAX * 32 <= NOXS_PAGE_SIZE,
               "a full device table fits its page");

/* --- the control page: one per device, granted by the backend --------- */

#define NOXS_CTRL_MAGIC "NOXSCTL"       /* with its NUL: 8 bytes */

/* States: the XenBus values, so that drivers keep their logic. */
enum noxs_state {
    NOXS_STATE_UNKNOWN = 0,
    NOXS_STATE_INITIALISING = 1,
    NOXS_STATE_INIT_WAIT = 2,
    NOXS_STATE_INITIALISED = 3,
    NOXS_STATE_CONNECTED = 4,
    NOXS_STATE_CLOSING = 5,
    NOXS_STATE_CLOSED = 6,
};

/* vif features (be_features offered, fe_features used). */
#define NOXS_VIF_RX_COPY            (1u << 0)
#define NOXS_VIF_SG                 (1u << 1)
#define NOXS_VIF_GSO_TCPV4          (1u << 2)
#define NOXS_VIF_IPV6_CSUM_OFFLOAD  (1u << 3)
#define NOXS_VIF_MULTICAST_CONTROL  (1u << 4)

/* Written by the backend only. */
struct noxs_ctrl_be {
    char magic[8];                      /* NOXS_CTRL_MAGIC */
    uint16_t version;
    uint16_t type;                      /* enum noxs_dev_type */
    uint32_t devid;
    uint32_t state;                     /* enum noxs_state */
    uint32_t features;
    uint8_t reserved[40];
};

/* Written by the guest only: untrusted in dom0. */
struct noxs_ctrl_fe {
    uint32_t state;
    uint32_t features;
    uint32_t tx_ring_gref;
    uint32_t rx_ring_gref;
    uint8_t reserved[48];
};

struct noxs_ctrl_page {
    struct noxs_ctrl_be be;             /* its own cache line */
    struct noxs_ctrl_fe fe;             /* its own cache line */
};

_Static_assert(sizeof(struct noxs_ctrl_be) == 64, "backend half");
_Static_assert(sizeof(struct noxs_ctrl_fe) == 64, "guest half");
_Static_assert(__builtin_offsetof(struct noxs_ctrl_page, fe) == 64,
               "guest half offset");
_Static_assert(__builtin_offsetof(struct noxs_ctrl_be, state) == 16,
               "be state");
_Static_assert(__builtin_offsetof(struct noxs_ctrl_fe, rx_ring_gref) == 12,
               "rx_ring_gref");

#endif
