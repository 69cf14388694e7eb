/*
 * vif: one NOXS vif as noxsd serves it: the control page it shares with
 * the guest, the event channel, the guest's two rings (mapped once the
 * guest offers them) and the TAP vifDOMID.DEVID its frames go through.
 *
 * Frames are moved by grant copy: from the guest's TX buffers into a
 * local buffer and on to the TAP, and from the TAP into the guest's RX
 * buffers. Everything the guest writes is untrusted (libnoxs/README.md,
 * section 5): a guest that breaks the protocol is cut off, which costs
 * no other vif anything: its rings are unmapped, its control page says
 * Closed, and it is served no more until the toolstack removes it.
 */
#ifndef NOXS_VIF_H
#define NOXS_VIF_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include <xenevtchn.h>
#include <xengnttab.h>

#include "netback_ring.h"
#include "noxs_abi.h"

/* Failed grant copies in a row that cut a vif off. */
#define VIF_BAD_COPY_LIMIT 16
/* Frames moved per direction per call: no guest starves the others. */
#define VIF_BUDGET 64

/* The handles every vif uses, and where to say what happened. */
struct vif_env {
    xenevtchn_handle *xce;
    xengnttab_handle *xgt;
    xengntshr_handle *xgs;
    const char *run_dir;                /* xendevd's, for TAP descriptions */
    void (*log)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
};

struct vif {
    uint32_t domid, devid;
    evtchn_port_t port;                 /* our end of the guest's channel */
    struct noxs_ctrl_page *ctrl;        /* shared with the guest */
    uint32_t ctrl_gref;
    uint32_t fe_state;                  /* the guest's, as last accepted */
    void *tx_page, *rx_page;            /* the guest's rings, once mapped */
    netif_tx_back_ring_t tx;
    netif_rx_back_ring_t rx;
    int tap;
    char ifname[IFNAMSIZ];
    bool cut_off;
    bool rx_waiting;                    /* a frame waits for an RX buffer */
    bool again;                         /* TX requests left: call vif_event */
    uint16_t rx_len;
    unsigned bad_copies;
    /* Reported when the vif is removed. TX: from the guest, passed to the
     * TAP, refused (bad request, failed copy) or dropped by a full TAP;
     * RX: to the guest, passed or lost in a failed copy. */
    unsigned long tx_frames, tx_errors, tx_dropped, rx_frames, rx_dropped;
    unsigned char rx_buf[NETBACK_MAX_FRAME];
};

/*
 * Starts serving vif DEVID of DOMID: binds GUEST_PORT, shares the
 * control page (backend state InitWait), describes the TAP to xendevd
 * (BRIDGE, MTU; in ENV's run_dir) and makes it. Returns the vif, or NULL
 * with an errno value in *ERR and what failed in WHY (WHY_LEN bytes);
 * nothing is left behind then.
 */
struct vif *vif_add(const struct vif_env *env, uint32_t domid, uint32_t devid,
                    uint32_t guest_port, const char *bridge, unsigned mtu,
                    int *err, char *why, size_t why_len);

/* Stops serving V and frees everything it holds. */
void vif_remove(const struct vif_env *env, struct vif *v);

/* Handles an event on V's channel: a control page change, requests
 * (at most VIF_BUDGET of each direction). When requests are left, it
 * sets V->again: the caller calls it again once the others have had
 * their turn, without waiting for an event (none will come). */
void vif_event(const struct vif_env *env, struct vif *v);

/* Handles frames waiting on V's TAP. */
void vif_tap_ready(const struct vif_env *env, struct vif *v);

/* Whether noxsd should poll V's TAP: connected, not cut off, and not
 * holding a frame for want of an RX buffer. */
bool vif_wants_tap(const struct vif *v);

#endif
