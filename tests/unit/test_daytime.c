/*
 * test_daytime.c: the daytime guest's network stack (ARP, ICMP echo, the
 * port 13 TCP server) driven frame by frame, hostile frames included, and
 * its time text.
 */
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "unit.h"
#include "utc.h"

#define OUR_IP 0x0a000002u              /* 10.0.0.2 */
#define PEER_IP 0x0a000001u             /* 10.0.0.1 */
#define TEXT "2026-11-30 16:10:28 UTC\r\n"
#define MS 1000000ULL

static const uint8_t our_mac[6] = { 0x00, 0x16, 0x3e, 0x01, 0x02, 0x03 };
static const uint8_t peer_mac[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0x01 };

/* What the stack sent, newest last. */
static uint8_t sent[16][1514];
static size_t sent_len[16];
static unsigned int n_sent;

static void capture(void *ctx, const void *frame, size_t len)
{
    (void)ctx;
    ck_assert_uint_lt(n_sent, 16);
    ck_assert_uint_le(len, 1514);
    memcpy(sent[n_sent], frame, len);
    sent_len[n_sent++] = len;
}

static size_t fixed_time(void *ctx, char *buf, size_t len)
{
    (void)ctx;
    ck_assert_uint_ge(len, sizeof(TEXT));
    memcpy(buf, TEXT, sizeof(TEXT) - 1);
    return sizeof(TEXT) - 1;
}

static struct net n;

static void setup(void)
{
    memset(&n, 0, sizeof(n));
    memcpy(n.mac, our_mac, 6);
    n.ip = OUR_IP;
    n.send = capture;
    n.daytime = fixed_time;
    n.isn_seed = 42;
    n_sent = 0;
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

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* An IPv4 frame from the peer to DST carrying PAYLOAD of PROTO. */
static size_t ip_frame(uint8_t *f, uint32_t dst, uint8_t proto,
                       const uint8_t *payload, size_t len)
{
    uint8_t *ip = f + 14;

    memcpy(f, our_mac, 6);
    memcpy(f + 6, peer_mac, 6);
    put16(f + 12, 0x0800);
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(20 + len));
    ip[8] = 64;
    ip[9] = proto;
    put32(ip + 12, PEER_IP);
    put32(ip + 16, dst);
    put16(ip + 10, net_checksum(ip, 20, 0));
    memcpy(ip + 20, payload, len);
    return 14 + 20 + len;
}

static uint32_t pseudo(uint32_t src, uint32_t dst, size_t len)
{
    return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 6 +
           (uint32_t)len;
}

/* A TCP segment from the peer's port 40000 to DPORT, checksummed. */
static size_t tcp_frame(uint8_t *f, uint16_t dport, uint32_t seq, uint32_t ack,
                        uint8_t flags, const char *data)
{
    uint8_t t[64] = { 0 };
    size_t dlen = data ? strlen(data) : 0;

    put16(t, 40000);
    put16(t + 2, dport);
    put32(t + 4, seq);
    put32(t + 8, ack);
    t[12] = 5 << 4;
    t[13] = flags;
    put16(t + 14, 8192);
    memcpy(t + 20, data ? data : "", dlen);
    put16(t + 16, net_checksum(t, 20 + dlen, pseudo(PEER_IP, OUR_IP, 20 + dlen)));
    return ip_frame(f, OUR_IP, 6, t, 20 + dlen);
}

/* Checks frame I is a valid IPv4 packet from us to the peer, returns its
 * payload and stores its length. */
static const uint8_t *sent_ip(unsigned int i, uint8_t proto, size_t *len)
{
    const uint8_t *f = sent[i], *ip = f + 14;

    ck_assert_mem_eq(f, peer_mac, 6);
    ck_assert_mem_eq(f + 6, our_mac, 6);
    ck_assert_uint_eq(get16(f + 12), 0x0800);
    ck_assert_uint_eq(ip[0], 0x45);
    ck_assert_uint_eq(ip[9], proto);
    ck_assert_uint_eq(net_checksum(ip, 20, 0), 0);
    ck_assert_uint_eq(get32(ip + 12), OUR_IP);
    ck_assert_uint_eq(get32(ip + 16), PEER_IP);
    ck_assert_uint_eq(get16(ip + 2) + 14u, sent_len[i]);
    *len = get16(ip + 2) - 20u;
    return ip + 20;
}

/* Checks frame I is a TCP segment to the peer with FLAGS, returns it. */
static const uint8_t *sent_tcp(unsigned int i, uint8_t flags, size_t *dlen)
{
    size_t len;
    const uint8_t *t = sent_ip(i, 6, &len);

    ck_assert_uint_eq(net_checksum(t, len, pseudo(OUR_IP, PEER_IP, len)), 0);
    ck_assert_uint_eq(get16(t + 2), 40000);
    ck_assert_uint_eq(t[13], flags);
    *dlen = len - (size_t)(t[12] >> 4) * 4;
    return t;
}

START_TEST(arp_request_for_us_is_answered)
{
    uint8_t f[42] = { 0 }, *a = f + 14;

    memset(f, 0xff, 6);
    memcpy(f + 6, peer_mac, 6);
    put16(f + 12, 0x0806);
    put16(a, 1);
    put16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, 1);
    memcpy(a + 8, peer_mac, 6);
    put32(a + 14, PEER_IP);
    put32(a + 24, OUR_IP);
    net_input(&n, f, sizeof(f), false, 0);
    ck_assert_uint_eq(n_sent, 1);
    ck_assert_uint_eq(sent_len[0], 42);
    ck_assert_mem_eq(sent[0], peer_mac, 6);
    a = sent[0] + 14;
    ck_assert_uint_eq(get16(a + 6), 2);
    ck_assert_mem_eq(a + 8, our_mac, 6);
    ck_assert_uint_eq(get32(a + 14), OUR_IP);
    ck_assert_mem_eq(a + 18, peer_mac, 6);
    ck_assert_uint_eq(get32(a + 24), PEER_IP);

    /* For another address, or a reply: nothing. Cut short: dropped. */
    put32(f + 14 + 24, OUR_IP + 1);
    net_input(&n, f, sizeof(f), false, 0);
    put32(f + 14 + 24, OUR_IP);
    put16(f + 14 + 6, 2);
    net_input(&n, f, sizeof(f), false, 0);
    ck_assert_uint_eq(n_sent, 1);
    net_input(&n, f, 41, false, 0);
    ck_assert_uint_eq(n.stats.dropped, 1);
}
END_TEST

START_TEST(echo_request_is_answered_with_its_data)
{
    uint8_t icmp[64], f[128];
    const uint8_t *r;
    size_t len, flen;

    for (size_t i = 0; i < sizeof(icmp); i++)
        icmp[i] = (uint8_t)i;
    icmp[0] = 8;
    icmp[1] = 0;
    put16(icmp + 2, 0);
    put16(icmp + 2, net_checksum(icmp, sizeof(icmp), 0));
    flen = ip_frame(f, OUR_IP, 1, icmp, sizeof(icmp));
    net_input(&n, f, flen, false, 0);
    ck_assert_uint_eq(n_sent, 1);
    r = sent_ip(0, 1, &len);
    ck_assert_uint_eq(len, sizeof(icmp));
    ck_assert_uint_eq(r[0], 0);
    ck_assert_uint_eq(net_checksum(r, len, 0), 0);
    ck_assert_mem_eq(r + 4, icmp + 4, sizeof(icmp) - 4);
    ck_assert_uint_eq(n.stats.echo_replies, 1);

    /* A bad ICMP checksum is dropped unless the backend validated it. */
    f[14 + 20 + 10] ^= 1;
    net_input(&n, f, flen, false, 0);
    ck_assert_uint_eq(n_sent, 1);
    net_input(&n, f, flen, true, 0);
    ck_assert_uint_eq(n_sent, 2);
}
END_TEST

START_TEST(bad_ip_headers_are_dropped)
{
    uint8_t icmp[8] = { 8, 0, 0, 0, 0, 1, 0, 1 }, f[128], g[128];
    size_t flen;
    unsigned long dropped = 0;

    put16(icmp + 2, net_checksum(icmp, sizeof(icmp), 0));
    flen = ip_frame(f, OUR_IP, 1, icmp, sizeof(icmp));
#define MUTATE(stmt) do { \
        memcpy(g, f, flen); \
        stmt; \
        net_input(&n, g, flen, false, 0); \
        ck_assert_uint_eq(n_sent, 0); \
        ck_assert_uint_eq(n.stats.dropped, ++dropped); \
    } while (0)
    MUTATE(g[14 + 10] ^= 1);                    /* header checksum */
    MUTATE(g[14] = 0x65);                       /* version 6 */
    MUTATE(g[14] = 0x44);                       /* ihl below 5 */
    MUTATE(put16(g + 14 + 2, 200));             /* longer than the frame */
    MUTATE(put16(g + 14 + 2, 10));              /* shorter than its header */
#undef MUTATE
    /* A fragment, with its header checksum right. */
    memcpy(g, f, flen);
    put16(g + 14 + 6, 0x2000);
    put16(g + 14 + 10, 0);
    put16(g + 14 + 10, net_checksum(g + 14, 20, 0));
    net_input(&n, g, flen, false, 0);
    ck_assert_uint_eq(n.stats.dropped, ++dropped);
    net_input(&n, f, 20, false, 0);
    ck_assert_uint_eq(n.stats.dropped, ++dropped);
    /* For another address: ignored, not a fault. */
    flen = ip_frame(g, OUR_IP + 1, 1, icmp, sizeof(icmp));
    net_input(&n, g, flen, false, 0);
    ck_assert_uint_eq(n.stats.dropped, dropped);
    ck_assert_uint_eq(n_sent, 0);
}
END_TEST

/* Runs the three-way handshake; returns our ISS. */
static uint32_t handshake(uint32_t peer_seq, uint64_t now)
{
    uint8_t f[128];
    const uint8_t *t;
    size_t dlen;
    uint32_t iss;

    net_input(&n, f, tcp_frame(f, 13, peer_seq, 0, 0x02, NULL), false, now);
    ck_assert_uint_eq(n_sent, 1);
    t = sent_tcp(0, 0x12, &dlen);
    ck_assert_uint_eq(dlen, 0);
    ck_assert_uint_eq(get16(t), 13);
    ck_assert_uint_eq(get32(t + 8), peer_seq + 1);
    iss = get32(t + 4);
    n_sent = 0;
    net_input(&n, f, tcp_frame(f, 13, peer_seq + 1, iss + 1, 0x10, NULL),
              false, now);
    return iss;
}

START_TEST(daytime_is_served_and_closed)
{
    uint8_t f[128];
    const uint8_t *t;
    size_t dlen;
    uint32_t iss = handshake(1000, 0);

    ck_assert_uint_eq(n_sent, 1);
    t = sent_tcp(0, 0x19, &dlen);               /* FIN PSH ACK */
    ck_assert_uint_eq(dlen, strlen(TEXT));
    ck_assert_mem_eq(t + 20, TEXT, dlen);
    ck_assert_uint_eq(get32(t + 4), iss + 1);
    ck_assert_uint_eq(get32(t + 8), 1001);
    ck_assert_uint_eq(n.stats.daytime_served, 1);

    /* The peer acks all and closes: the connection is gone. */
    n_sent = 0;
    net_input(&n, f, tcp_frame(f, 13, 1001, iss + 2 + (uint32_t)dlen, 0x11,
                               NULL), false, 0);
    ck_assert_uint_eq(n_sent, 1);
    t = sent_tcp(0, 0x10, &dlen);
    ck_assert_uint_eq(get32(t + 8), 1002);
    for (unsigned int i = 0; i < NET_TCP_CONNS; i++)
        ck_assert_int_eq(n.conns[i].state, NET_TCP_FREE);
    ck_assert_uint_eq(net_timer(&n, 10 * NET_RETRANSMIT_NS), UINT64_MAX);

    /* Its FIN again: acked from no state (our TIME-WAIT). */
    n_sent = 0;
    net_input(&n, f, tcp_frame(f, 13, 1001, iss + 2 + (uint32_t)strlen(TEXT),
                               0x11, NULL), false, 0);
    ck_assert_uint_eq(n_sent, 1);
    t = sent_tcp(0, 0x10, &dlen);
    ck_assert_uint_eq(get32(t + 8), 1002);
}
END_TEST

START_TEST(lost_segments_are_sent_again_then_given_up)
{
    uint8_t f[128];
    size_t dlen;
    uint64_t next;

    net_input(&n, f, tcp_frame(f, 13, 5, 0, 0x02, NULL), false, 0);
    ck_assert_uint_eq(n_sent, 1);
    next = net_timer(&n, 1);
    ck_assert_uint_eq(next, NET_RETRANSMIT_NS);
    ck_assert_uint_eq(n_sent, 1);
    for (unsigned int i = 1; i <= NET_RETRIES; i++) {
        next = net_timer(&n, next);
        ck_assert_uint_eq(n_sent, 1 + i);
        sent_tcp(i, 0x12, &dlen);
    }
    ck_assert_uint_eq(net_timer(&n, next), UINT64_MAX);
    ck_assert_uint_eq(n_sent, 1 + NET_RETRIES);
    ck_assert_int_eq(n.conns[0].state, NET_TCP_FREE);
}
END_TEST

START_TEST(other_ports_and_strays_are_reset)
{
    uint8_t f[128];
    const uint8_t *t;
    size_t dlen;

    net_input(&n, f, tcp_frame(f, 80, 7, 0, 0x02, NULL), false, 0);
    t = sent_tcp(0, 0x14, &dlen);               /* RST ACK */
    ck_assert_uint_eq(get32(t + 8), 8);
    net_input(&n, f, tcp_frame(f, 13, 7, 99, 0x10, NULL), false, 0);
    t = sent_tcp(1, 0x04, &dlen);               /* RST, seq = their ack */
    ck_assert_uint_eq(get32(t + 4), 99);
    net_input(&n, f, tcp_frame(f, 13, 7, 99, 0x04, NULL), false, 0);
    ck_assert_uint_eq(n_sent, 2);               /* never answer a RST */
    ck_assert_uint_eq(n.stats.tcp_resets, 2);
}
END_TEST

START_TEST(a_full_table_drops_new_connections)
{
    uint8_t f[128];

    for (unsigned int i = 0; i < NET_TCP_CONNS; i++) {
        size_t len = tcp_frame(f, 13, 1, 0, 0x02, NULL);

        put16(f + 14 + 20, (uint16_t)(1000 + i));   /* another source port */
        put16(f + 14 + 20 + 16, 0);
        put16(f + 14 + 20 + 16,
              net_checksum(f + 34, 20, pseudo(PEER_IP, OUR_IP, 20)));
        net_input(&n, f, len, false, 0);
    }
    ck_assert_uint_eq(n_sent, NET_TCP_CONNS);
    net_input(&n, f, tcp_frame(f, 13, 1, 0, 0x02, NULL), false, 0);
    ck_assert_uint_eq(n_sent, NET_TCP_CONNS);
    ck_assert_uint_eq(n.stats.dropped, 1);
}
END_TEST

START_TEST(bad_tcp_headers_are_dropped)
{
    uint8_t f[128];
    size_t len = tcp_frame(f, 13, 1, 0, 0x02, NULL);

    f[14 + 20 + 16] ^= 1;                       /* checksum */
    net_input(&n, f, len, false, 0);
    f[14 + 20 + 16] ^= 1;
    f[14 + 20 + 12] = 15 << 4;                  /* offset beyond the segment */
    net_input(&n, f, len, true, 0);
    f[14 + 20 + 12] = 4 << 4;                   /* offset below 20 */
    net_input(&n, f, len, true, 0);
    ck_assert_uint_eq(n.stats.dropped, 3);
    ck_assert_uint_eq(n_sent, 0);
}
END_TEST

START_TEST(random_frames_never_break_it)
{
    uint8_t f[1514], base[128];
    size_t blen = tcp_frame(base, 13, 1, 0, 0x02, NULL);

    srand(7);
    for (int i = 0; i < 200000; i++) {
        size_t len = (size_t)rand() % sizeof(f);

        if (i % 2) {                            /* a valid frame, mutated */
            memcpy(f, base, blen);
            len = blen - (size_t)(rand() % 8);
            for (int k = rand() % 4; k >= 0; k--)
                f[rand() % (int)blen] = (uint8_t)rand();
        } else {
            for (size_t k = 0; k < len; k++)
                f[k] = (uint8_t)rand();
            if (len > 13 && i % 4 == 0)
                put16(f + 12, 0x0800);
        }
        n_sent = 0;
        net_input(&n, f, len, i % 3 == 0, (uint64_t)i * MS);
        net_timer(&n, (uint64_t)i * MS);
    }
    ck_assert_uint_eq(n.stats.frames, 200000);
}
END_TEST

START_TEST(parses_dotted_quads)
{
    uint32_t ip = 0;

    ck_assert(net_parse_ip("10.0.0.2", &ip));
    ck_assert_uint_eq(ip, OUR_IP);
    ck_assert(net_parse_ip("255.255.255.255", &ip));
    ck_assert_uint_eq(ip, 0xffffffffu);
    ck_assert(!net_parse_ip("256.0.0.1", &ip));
    ck_assert(!net_parse_ip("1.2.3", &ip));
    ck_assert(!net_parse_ip("1.2.3.4.", &ip));
    ck_assert(!net_parse_ip("1..3.4", &ip));
    ck_assert(!net_parse_ip("0001.2.3.4", &ip));
    ck_assert(!net_parse_ip("", &ip));
}
END_TEST

START_TEST(utc_text)
{
    static const struct { uint64_t secs; const char *text; } cases[] = {
        { 0, "1970-01-01 00:00:00 UTC\r\n" },
        { 951782400, "2000-02-29 00:00:00 UTC\r\n" },
        { 1796055028, "2026-11-30 16:10:28 UTC\r\n" },
        { 4102444799, "2099-12-31 23:59:59 UTC\r\n" },
        { 253402300799, "9999-12-31 23:59:59 UTC\r\n" },
    };
    char buf[64];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_assert_uint_eq(utc_format(buf, sizeof(buf), cases[i].secs),
                          UTC_TEXT_LEN);
        ck_assert_str_eq(buf, cases[i].text);
    }
    ck_assert_uint_eq(utc_format(buf, 5, 0), 4);
    ck_assert_str_eq(buf, "1970");
}
END_TEST

Suite *daytime_suite(void)
{
    Suite *s = suite_create("daytime");
    TCase *tc = tcase_create("net");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, arp_request_for_us_is_answered);
    tcase_add_test(tc, echo_request_is_answered_with_its_data);
    tcase_add_test(tc, bad_ip_headers_are_dropped);
    tcase_add_test(tc, daytime_is_served_and_closed);
    tcase_add_test(tc, lost_segments_are_sent_again_then_given_up);
    tcase_add_test(tc, other_ports_and_strays_are_reset);
    tcase_add_test(tc, a_full_table_drops_new_connections);
    tcase_add_test(tc, bad_tcp_headers_are_dropped);
    tcase_add_test(tc, random_frames_never_break_it);
    tcase_add_test(tc, parses_dotted_quads);
    suite_add_tcase(s, tc);
    tc = tcase_create("utc");
    tcase_add_test(tc, utc_text);
    suite_add_tcase(s, tc);
    return s;
}
