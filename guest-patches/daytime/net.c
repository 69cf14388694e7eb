/*
 * net.c: the daytime guest's network stack, declared in net.h.
 */
#include "lib.h"
#include "net.h"

#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_ARP 0x0806
#define IP_HLEN 20
#define IP_PROTO_ICMP 1
#define IP_PROTO_TCP 6
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8
#define TCP_HLEN 20
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_WINDOW 1024
#define MAX_FRAME 1514

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

uint16_t net_checksum(const void *data, size_t len, uint32_t sum)
{
    const uint8_t *p = data;
    uint64_t s = sum;

    for (; len >= 2; p += 2, len -= 2)
        s += get16(p);
    if (len)
        s += (uint32_t)p[0] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

/* The unfolded sum of the TCP pseudo-header. */
static uint32_t pseudo_sum(uint32_t src, uint32_t dst, size_t tcp_len)
{
    return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) +
           IP_PROTO_TCP + (uint32_t)tcp_len;
}

bool net_parse_ip(const char *text, uint32_t *ip)
{
    uint32_t v = 0;

    for (int i = 0; i < 4; i++) {
        unsigned int part = 0, digits = 0;

        while (*text >= '0' && *text <= '9' && digits < 4) {
            part = part * 10 + (unsigned int)(*text++ - '0');
            digits++;
        }
        if (digits == 0 || digits > 3 || part > 255 ||
            *text != (i == 3 ? '\0' : '.'))
            return false;
        text++;
        v = v << 8 | part;
    }
    *ip = v;
    return true;
}

static void drop(struct net *n)
{
    n->stats.dropped++;
}

/* Fills the Ethernet and IPv4 headers of OUT for a packet of PAYLOAD
 * bytes of PROTO to DST_IP at DST_MAC, and sends it. */
static void ip_send(struct net *n, uint8_t *out, const uint8_t dst_mac[6],
                    uint32_t dst_ip, uint8_t proto, size_t payload)
{
    uint8_t *ip = out + ETH_HLEN;

    memcpy(out, dst_mac, 6);
    memcpy(out + 6, n->mac, 6);
    put16(out + 12, ETH_P_IP);
    ip[0] = 0x45;
    ip[1] = 0;
    put16(ip + 2, (uint16_t)(IP_HLEN + payload));
    put16(ip + 4, n->ip_id++);
    put16(ip + 6, 0x4000);              /* don't fragment */
    ip[8] = 64;
    ip[9] = proto;
    put16(ip + 10, 0);
    put32(ip + 12, n->ip);
    put32(ip + 16, dst_ip);
    put16(ip + 10, net_checksum(ip, IP_HLEN, 0));
    n->send(n->ctx, out, ETH_HLEN + IP_HLEN + payload);
}

static void tcp_send(struct net *n, const uint8_t mac[6], uint32_t ip,
                     uint16_t sport, uint16_t dport, uint32_t seq,
                     uint32_t ack, uint8_t flags, const void *data,
                     size_t len)
{
    uint8_t out[ETH_HLEN + IP_HLEN + TCP_HLEN + NET_TEXT_MAX];
    uint8_t *t = out + ETH_HLEN + IP_HLEN;

    if (len > NET_TEXT_MAX)
        len = NET_TEXT_MAX;
    put16(t, sport);
    put16(t + 2, dport);
    put32(t + 4, seq);
    put32(t + 8, ack);
    t[12] = (TCP_HLEN / 4) << 4;
    t[13] = flags;
    put16(t + 14, TCP_WINDOW);
    put16(t + 16, 0);
    put16(t + 18, 0);
    if (len)
        memcpy(t + TCP_HLEN, data, len);
    put16(t + 16, net_checksum(t, TCP_HLEN + len,
                               pseudo_sum(n->ip, ip, TCP_HLEN + len)));
    ip_send(n, out, mac, ip, IP_PROTO_TCP, TCP_HLEN + len);
}

static void arp_input(struct net *n, const uint8_t *f, size_t len)
{
    const uint8_t *a = f + ETH_HLEN;
    uint8_t out[ETH_HLEN + 28];
    uint8_t *r = out + ETH_HLEN;

    if (len < ETH_HLEN + 28 || get16(a) != 1 || get16(a + 2) != ETH_P_IP ||
        a[4] != 6 || a[5] != 4) {
        drop(n);
        return;
    }
    if (get16(a + 6) != 1 || get32(a + 24) != n->ip)
        return;                         /* not a request for us */
    memcpy(out, a + 8, 6);
    memcpy(out + 6, n->mac, 6);
    put16(out + 12, ETH_P_ARP);
    memcpy(r, a, 6);                    /* hardware and protocol types */
    put16(r + 6, 2);
    memcpy(r + 8, n->mac, 6);
    put32(r + 14, n->ip);
    memcpy(r + 18, a + 8, 10);          /* the asker's MAC and address */
    n->stats.arp_replies++;
    n->send(n->ctx, out, sizeof(out));
}

static void icmp_input(struct net *n, const uint8_t *mac, uint32_t src,
                       const uint8_t *icmp, size_t len, bool csum_valid)
{
    uint8_t out[MAX_FRAME];
    uint8_t *r = out + ETH_HLEN + IP_HLEN;

    if (len < 8 || (!csum_valid && net_checksum(icmp, len, 0) != 0) ||
        len > sizeof(out) - ETH_HLEN - IP_HLEN) {
        drop(n);
        return;
    }
    if (icmp[0] != ICMP_ECHO_REQUEST || icmp[1] != 0)
        return;
    memcpy(r, icmp, len);
    r[0] = ICMP_ECHO_REPLY;
    put16(r + 2, 0);
    put16(r + 2, net_checksum(r, len, 0));
    n->stats.echo_replies++;
    ip_send(n, out, mac, src, IP_PROTO_ICMP, len);
}

static struct net_tcp_conn *find_conn(struct net *n, uint32_t ip,
                                      uint16_t port)
{
    for (unsigned int i = 0; i < NET_TCP_CONNS; i++)
        if (n->conns[i].state != NET_TCP_FREE && n->conns[i].peer_ip == ip &&
            n->conns[i].peer_port == port)
            return &n->conns[i];
    return NULL;
}

static uint32_t mix(uint32_t h, uint32_t v)
{
    h ^= v;
    h *= 0x9e3779b1u;
    return h ^ (h >> 15);
}

/* Our sequence number after the text and the FIN: what the peer acks last. */
static uint32_t snd_end(const struct net_tcp_conn *c)
{
    return c->iss + 1 + c->text_len + 1;
}

static void send_syn_ack(struct net *n, struct net_tcp_conn *c, uint64_t now)
{
    tcp_send(n, c->peer_mac, c->peer_ip, NET_DAYTIME_PORT, c->peer_port,
             c->iss, c->rcv_nxt, TCP_SYN | TCP_ACK, NULL, 0);
    c->last_sent_ns = now;
}

static void send_text_fin(struct net *n, struct net_tcp_conn *c, uint64_t now)
{
    tcp_send(n, c->peer_mac, c->peer_ip, NET_DAYTIME_PORT, c->peer_port,
             c->iss + 1, c->rcv_nxt, TCP_PSH | TCP_FIN | TCP_ACK, c->text,
             c->text_len);
    c->last_sent_ns = now;
}

static void accept_conn(struct net *n, const uint8_t *mac, uint32_t src,
                        uint16_t sport, uint32_t seq, uint64_t now)
{
    struct net_tcp_conn *c = NULL;

    for (unsigned int i = 0; i < NET_TCP_CONNS && !c; i++)
        if (n->conns[i].state == NET_TCP_FREE)
            c = &n->conns[i];
    if (!c) {
        drop(n);                        /* the peer's SYN retry may fit later */
        return;
    }
    memset(c, 0, sizeof(*c));
    c->state = NET_TCP_SYN_RECEIVED;
    c->peer_ip = src;
    c->peer_port = sport;
    memcpy(c->peer_mac, mac, 6);
    c->iss = mix(mix(mix(mix(n->isn_seed, src), sport), seq), (uint32_t)now);
    c->rcv_nxt = seq + 1;
    c->text_len = (uint16_t)n->daytime(n->ctx, c->text, sizeof(c->text));
    if (c->text_len > sizeof(c->text))
        c->text_len = sizeof(c->text);
    send_syn_ack(n, c, now);
}

/* Answers a segment that belongs to no connection, as RFC 793 says. */
static void refuse(struct net *n, const uint8_t *mac, uint32_t src,
                   uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
                   uint8_t flags, uint32_t seg_len)
{
    if ((flags & TCP_FIN) && (flags & TCP_ACK) && dport == NET_DAYTIME_PORT) {
        /* A FIN again after we forgot the connection: ack it. */
        tcp_send(n, mac, src, dport, sport, ack, seq + seg_len, TCP_ACK,
                 NULL, 0);
        return;
    }
    n->stats.tcp_resets++;
    if (flags & TCP_ACK)
        tcp_send(n, mac, src, dport, sport, ack, 0, TCP_RST, NULL, 0);
    else
        tcp_send(n, mac, src, dport, sport, 0, seq + seg_len,
                 TCP_RST | TCP_ACK, NULL, 0);
}

static void tcp_input(struct net *n, const uint8_t *mac, uint32_t src,
                      const uint8_t *t, size_t len, bool csum_valid,
                      uint64_t now)
{
    size_t off;
    uint16_t sport, dport;
    uint32_t seq, ack, data_len, seg_len;
    uint8_t flags;
    struct net_tcp_conn *c;

    if (len < TCP_HLEN) {
        drop(n);
        return;
    }
    off = (size_t)(t[12] >> 4) * 4;
    if (off < TCP_HLEN || off > len ||
        (!csum_valid &&
         net_checksum(t, len, pseudo_sum(src, n->ip, len)) != 0)) {
        drop(n);
        return;
    }
    sport = get16(t);
    dport = get16(t + 2);
    seq = get32(t + 4);
    ack = get32(t + 8);
    flags = t[13];
    data_len = (uint32_t)(len - off);
    seg_len = data_len + !!(flags & TCP_SYN) + !!(flags & TCP_FIN);
    c = dport == NET_DAYTIME_PORT ? find_conn(n, src, sport) : NULL;

    if (flags & TCP_RST) {
        if (c && seq == c->rcv_nxt)
            c->state = NET_TCP_FREE;
        return;
    }
    if (!c) {
        if (dport == NET_DAYTIME_PORT && (flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
            accept_conn(n, mac, src, sport, seq, now);
        else
            refuse(n, mac, src, sport, dport, seq, ack, flags, seg_len);
        return;
    }
    if (c->state == NET_TCP_SYN_RECEIVED) {
        if ((flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && seq + 1 == c->rcv_nxt) {
            send_syn_ack(n, c, now);        /* the peer did not hear it */
            return;
        }
        if (!(flags & TCP_ACK) || (flags & TCP_SYN))
            return;
        if (ack != c->iss + 1) {
            refuse(n, mac, src, sport, dport, seq, ack, flags & ~TCP_FIN,
                   seg_len);
            c->state = NET_TCP_FREE;
            return;
        }
        c->state = NET_TCP_FIN_SENT;
        c->retries = 0;
        n->stats.daytime_served++;
        /* Daytime reads nothing: what the peer sends is acked, unread. */
        if (seq == c->rcv_nxt)
            c->rcv_nxt += data_len + !!(flags & TCP_FIN);
        send_text_fin(n, c, now);
        return;
    }
    /* FIN_SENT: the text and our FIN are out. */
    if (seq == c->rcv_nxt && seg_len > 0) {
        c->rcv_nxt += seg_len;
        tcp_send(n, c->peer_mac, src, dport, sport,
                 (flags & TCP_ACK) && ack == snd_end(c) ? snd_end(c)
                                                        : c->iss + 1,
                 c->rcv_nxt, TCP_ACK, NULL, 0);
    }
    if ((flags & TCP_ACK) && ack == snd_end(c))
        c->state = NET_TCP_FREE;        /* the peer has it all */
}

static void ip_input(struct net *n, const uint8_t *f, size_t len,
                     bool csum_valid, uint64_t now)
{
    const uint8_t *ip = f + ETH_HLEN;
    size_t ihl, total;
    uint32_t src;

    if (len < ETH_HLEN + IP_HLEN || (ip[0] >> 4) != 4) {
        drop(n);
        return;
    }
    ihl = (size_t)(ip[0] & 0xf) * 4;
    total = get16(ip + 2);
    if (ihl < IP_HLEN || total < ihl || total > len - ETH_HLEN ||
        net_checksum(ip, ihl, 0) != 0) {
        drop(n);
        return;
    }
    if (get32(ip + 16) != n->ip)
        return;                         /* not for us */
    if (get16(ip + 6) & 0x3fff) {       /* a fragment: we never need them */
        drop(n);
        return;
    }
    src = get32(ip + 12);
    if (ip[9] == IP_PROTO_ICMP)
        icmp_input(n, f + 6, src, ip + ihl, total - ihl, csum_valid);
    else if (ip[9] == IP_PROTO_TCP)
        tcp_input(n, f + 6, src, ip + ihl, total - ihl, csum_valid, now);
}

void net_input(struct net *n, const void *frame, size_t len, bool csum_valid,
               uint64_t now_ns)
{
    const uint8_t *f = frame;

    n->stats.frames++;
    if (len < ETH_HLEN) {
        drop(n);
        return;
    }
    if (get16(f + 12) == ETH_P_ARP)
        arp_input(n, f, len);
    else if (get16(f + 12) == ETH_P_IP)
        ip_input(n, f, len, csum_valid, now_ns);
}

uint64_t net_timer(struct net *n, uint64_t now_ns)
{
    uint64_t next = UINT64_MAX;

    for (unsigned int i = 0; i < NET_TCP_CONNS; i++) {
        struct net_tcp_conn *c = &n->conns[i];
        uint64_t due;

        if (c->state == NET_TCP_FREE)
            continue;
        due = c->last_sent_ns + NET_RETRANSMIT_NS;
        if (now_ns >= due) {
            if (c->retries >= NET_RETRIES) {
                c->state = NET_TCP_FREE;
                continue;
            }
            c->retries++;
            if (c->state == NET_TCP_SYN_RECEIVED)
                send_syn_ack(n, c, now_ns);
            else
                send_text_fin(n, c, now_ns);
            due = now_ns + NET_RETRANSMIT_NS;
        }
        if (due < next)
            next = due;
    }
    return next;
}
