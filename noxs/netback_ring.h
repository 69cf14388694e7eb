/*
 * netback_ring: the backend's half of a vif's two netif rings
 * (xen/io/netif.h): taking the requests a guest posts and answering them.
 * Pure: it works on the shared ring pages and does no hypercall, so unit
 * tests and the fuzzer drive it over plain memory; the caller maps the
 * pages, copies the data and sends the notifications.
 *
 * The ring pages are guest memory, written by the guest at any time.
 * Every request is copied out of the ring once and only the copy is used;
 * the guest's producer index is read once per call and checked: more
 * requests than free slots is a protocol error, and so is a request for
 * what was never offered (scatter-gather, GSO or other extra
 * information). A protocol error means the device must be cut off.
 */
#ifndef NOXS_NETBACK_RING_H
#define NOXS_NETBACK_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/grant_table.h>

/* io/ring.h wants these from its includer. */
#ifndef xen_mb
#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_signal_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_signal_fence(__ATOMIC_RELEASE)
#endif
#include <xen/io/netif.h>

/* The largest frame a guest may send or receive: a 1500-byte MTU, the
 * Ethernet header and one VLAN tag. */
#define NETBACK_MAX_FRAME 1518
/* The smallest: an Ethernet header. */
#define NETBACK_MIN_FRAME 14

#define NETBACK_PAGE_SIZE 4096
#define NETBACK_TX_RING_SIZE __CONST_RING_SIZE(netif_tx, NETBACK_PAGE_SIZE)
#define NETBACK_RX_RING_SIZE __CONST_RING_SIZE(netif_rx, NETBACK_PAGE_SIZE)

/* One TX request as taken: a copy, and why it cannot be sent (NULL when
 * it can). A bad request is answered NETIF_RSP_ERROR; it is not fatal. */
struct netback_tx {
    netif_tx_request_t req;
    const char *bad;
};

/* Attaches R to the shared TX ring page SRING (as mapped, not reset:
 * the guest initialised it). */
void netback_tx_init(netif_tx_back_ring_t *r, void *sring);
void netback_rx_init(netif_rx_back_ring_t *r, void *sring);

/*
 * Takes up to MAX TX requests into OUT. Returns how many were taken, or
 * -1 with WHY (static text) on a protocol error.
 */
int netback_tx_take(netif_tx_back_ring_t *r, struct netback_tx *out,
                    unsigned int max, const char **why);

/* Answers the TX request ID with STATUS (NETIF_RSP_*). */
void netback_tx_answer(netif_tx_back_ring_t *r, uint16_t id, int16_t status);

/*
 * Takes the next RX request (a buffer the guest offers) into *OUT.
 * Returns 1, 0 when the guest has none posted, or -1 with WHY.
 */
int netback_rx_take(netif_rx_back_ring_t *r, netif_rx_request_t *out,
                    const char **why);

/* Answers RX request ID: STATUS is the frame's length, or NETIF_RSP_*. */
void netback_rx_answer(netif_rx_back_ring_t *r, uint16_t id, int16_t status);

/* Publishes the answers given since the last call; true when the guest
 * asked to be notified of them. */
bool netback_tx_push(netif_tx_back_ring_t *r);
bool netback_rx_push(netif_rx_back_ring_t *r);

/* After taking everything: re-arms the guest's notification and returns
 * true if requests arrived meanwhile (take them too before sleeping). */
bool netback_tx_more(netif_tx_back_ring_t *r);
bool netback_rx_more(netif_rx_back_ring_t *r);

#endif
