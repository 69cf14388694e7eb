/*
 * net.h: the daytime guest's network stack: Ethernet, ARP (answers for
 * our address), IPv4, ICMP echo, and enough TCP to serve RFC 867 daytime
 * on port 13 (accept, write the time, close) and no more. Pure: frames
 * come in through net_input and go out through the send callback, time
 * is passed in, so the host tests drive it frame by frame.
 *
 * Every frame is untrusted: lengths, header sizes and checksums are
 * checked before any field is used, and a frame that fails is counted
 * and dropped. Replies go to the MAC the request came from (no ARP table).
 */
#ifndef DAYTIME_NET_H
#define DAYTIME_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_TCP_CONNS 16                /* connections being served at once */
#define NET_DAYTIME_PORT 13
#define NET_RETRANSMIT_NS (500ULL * 1000000ULL)
#define NET_RETRIES 8                   /* then the connection is dropped */
#define NET_TEXT_MAX 64                 /* longest daytime text */

enum net_tcp_state { NET_TCP_FREE, NET_TCP_SYN_RECEIVED, NET_TCP_FIN_SENT };

struct net_tcp_conn {
    enum net_tcp_state state;
    uint32_t peer_ip;
    uint16_t peer_port;
    uint8_t peer_mac[6];
    uint32_t iss;                       /* our initial sequence number */
    uint32_t rcv_nxt;                   /* next byte we expect from the peer */
    bool peer_fin;                      /* the peer's FIN is acknowledged */
    uint64_t last_sent_ns;
    unsigned int retries;
    char text[NET_TEXT_MAX];            /* what we send, fixed at accept */
    uint16_t text_len;
};

struct net_stats {
    unsigned long frames, dropped, arp_replies, echo_replies, tcp_resets,
                  daytime_served;
};

struct net {
    uint8_t mac[6];
    uint32_t ip;                        /* host byte order */
    /* Sends one Ethernet frame. */
    void (*send)(void *ctx, const void *frame, size_t len);
    /* Writes the current time as text into BUF (at most LEN bytes) and
     * returns its length. */
    size_t (*daytime)(void *ctx, char *buf, size_t len);
    void *ctx;
    uint32_t isn_seed;                  /* mixed into initial sequence numbers */
    uint16_t ip_id;
    struct net_tcp_conn conns[NET_TCP_CONNS];
    struct net_stats stats;
};

/* Parses dotted-quad IPv4 text into *IP (host byte order). */
bool net_parse_ip(const char *text, uint32_t *ip);

/*
 * Handles one received frame at time NOW_NS. CSUM_VALID: the frame's
 * checksums were already validated (or never filled in) by whoever
 * handed it over; else ICMP and TCP checksums are checked here.
 */
void net_input(struct net *n, const void *frame, size_t len, bool csum_valid,
               uint64_t now_ns);

/*
 * Retransmits what was not acknowledged within NET_RETRANSMIT_NS and gives
 * up on connections after NET_RETRIES. Returns the time at which it next
 * has something to do, or UINT64_MAX.
 */
uint64_t net_timer(struct net *n, uint64_t now_ns);

/* The Internet checksum of LEN bytes, folded, starting from SUM. */
uint16_t net_checksum(const void *data, size_t len, uint32_t sum);

#endif
