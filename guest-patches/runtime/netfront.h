/*
 * netfront.h: the guest end of one Xen virtual network interface (vif 0),
 * speaking the netif ring protocol (xen/io/netif.h) with a backend in
 * another domain (dom0's netback).
 *
 * The rings and the packet buffers are pages of our own, granted to the
 * backend: one RX page per posted receive buffer (the backend copies each
 * frame into one: request-rx-copy), one TX page per frame in flight. No
 * scatter-gather, no offloads: a frame is at most one page.
 *
 * The device is found and connected in one of two ways, whichever the
 * toolstack chose: when the store page carries a NOXS device page
 * (libnoxs/README.md), through the control page its entry names; else
 * through XenStore (xenbus.h), as Linux's netfront does. The same guest
 * thus runs under chaos with NOXS and under stock xl with the kernel's
 * netback. The event channel stays masked: callers wait
 * for it with sched_poll(netfront_port(), deadline) and then call
 * netfront_poll(). Single-threaded; not for use from event handlers.
 */
#ifndef CHAOS_RT_NETFRONT_H
#define CHAOS_RT_NETFRONT_H

#include "xen_iface.h"

/* Largest frame sent or received: Ethernet header plus a 1500-byte MTU. */
#define NETFRONT_MAX_FRAME 1514

/* How long netfront_init waits for the backend to connect. */
#define NETFRONT_CONNECT_NS (30ULL * 1000000000ULL)

/*
 * Connects vif 0: finds its backend and MAC, waits for the backend to be
 * ready, grants the rings, publishes them (with the event channel: ours
 * under XenStore, the one the toolstack allocated under NOXS), waits for
 * the backend to connect and posts the receive buffers. Needs
 * gnttab_init() first. Returns 0 or a negative Xen errno; on failure
 * *WHAT (if not NULL) names the step that failed.
 */
int netfront_init(const start_info_t *si, const char **what);

/* True when vif 0 was connected through NOXS, false through XenStore. */
bool netfront_noxs(void);

/* The MAC address of vif 0 (valid after netfront_init succeeded). */
const uint8_t *netfront_mac(void);

/* The event channel to poll for. */
evtchn_port_t netfront_port(void);

/*
 * Sends one frame of LEN bytes (at most NETFRONT_MAX_FRAME). Returns 0;
 * -XEN_EAGAIN when every TX buffer is in flight (call netfront_poll and
 * retry); -XEN_EINVAL for a bad length.
 */
int netfront_send(const void *frame, size_t len);

/*
 * Handles what the backend answered: completes sent frames and passes
 * every received frame to RX(FRAME, LEN, CSUM_VALID, ARG), then posts its
 * buffer again. CSUM_VALID is true when the backend says the frame's
 * checksums were validated or left blank (a local frame, never on a wire).
 * Responses with an unknown id, a bad status or a bad size are dropped.
 * Returns the number of frames passed to RX.
 */
unsigned int netfront_poll(void (*rx)(const void *frame, size_t len,
                                      bool csum_valid, void *arg),
                           void *arg);

/* Ways to break the protocol on purpose, for tests of backends. */
enum netfront_misbehaviour {
    NETFRONT_BAD_INDEX,         /* a TX producer index far past the ring */
    NETFRONT_BAD_GREF,          /* TX requests whose grant references are bogus */
    NETFRONT_BAD_STATE,         /* NOXS: an unknown state in the control page */
};

/*
 * Does what HOW says and notifies the backend, as a hostile guest would.
 * The interface is unusable afterwards. Returns 0, or -XEN_EINVAL when
 * HOW does not apply (BAD_STATE without NOXS).
 */
int netfront_misbehave(enum netfront_misbehaviour how);

#endif
