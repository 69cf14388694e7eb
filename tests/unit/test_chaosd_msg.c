/*
 * chaosd_msg: every message type round-trips, and every malformed message
 * is rejected with its reason, never read beyond its bytes.
 */
#include <check.h>
#include <string.h>

#include "../../chaos/chaosd_msg.h"
#include "unit.h"

static unsigned char buf[CHAOSD_MSG_MAX + 64];

START_TEST(test_create_round_trip)
{
    struct chaosd_msg m;
    const char *why = NULL;
    size_t n = chaosd_encode_create(buf, sizeof(buf), 7, CHAOSD_CREATE_PAUSED,
                                    2, "noop.cfg", 8, "name = \"x\"\n", 11);

    ck_assert_uint_eq(n, sizeof(struct chaosd_hdr) +
                             sizeof(struct chaosd_create) + 19);
    ck_assert_int_eq(chaosd_decode(buf, n, 2, &m, &why), 0);
    ck_assert_uint_eq(m.hdr.seq, 7);
    ck_assert_uint_eq(m.hdr.type, CHAOSD_CREATE);
    ck_assert_uint_eq(m.u.create.flags, CHAOSD_CREATE_PAUSED);
    ck_assert_uint_eq(m.u.create.n_fds, 2);
    ck_assert_uint_eq(m.u.create.source_len, 8);
    ck_assert(memcmp(m.u.create.source, "noop.cfg", 8) == 0);
    ck_assert_uint_eq(m.u.create.config_len, 11);
    ck_assert(memcmp(m.u.create.config, "name = \"x\"\n", 11) == 0);
}
END_TEST

START_TEST(test_destroy_and_reply_round_trip)
{
    struct chaosd_msg m;
    const char *why = NULL;
    size_t n = chaosd_encode_destroy(buf, sizeof(buf), 9, 42);

    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), 0);
    ck_assert_uint_eq(m.u.domid, 42);
    n = chaosd_encode_reply(buf, sizeof(buf), 9, 3, 5, "no memory\n", 10,
                            "table\n", 6);
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), 0);
    ck_assert_int_eq(m.u.reply.status, 3);
    ck_assert_uint_eq(m.u.reply.domid, 5);
    ck_assert_uint_eq(m.u.reply.err_len, 10);
    ck_assert(memcmp(m.u.reply.err, "no memory\n", 10) == 0);
    ck_assert_uint_eq(m.u.reply.out_len, 6);
    ck_assert(memcmp(m.u.reply.out, "table\n", 6) == 0);
    n = chaosd_encode_reply(buf, sizeof(buf), 1, 0, 0, NULL, 0, NULL, 0);
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), 0);
    ck_assert_uint_eq(m.u.reply.err_len, 0);
    ck_assert_uint_eq(m.u.reply.out_len, 0);
    n = chaosd_encode_pool(buf, sizeof(buf), 4);
    ck_assert_uint_eq(n, 16);
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), 0);
    ck_assert_uint_eq(m.hdr.type, CHAOSD_POOL);
    ck_assert_uint_eq(m.hdr.seq, 4);
}
END_TEST

START_TEST(test_console_round_trip)
{
    struct chaosd_msg m;
    const char *why = NULL;
    size_t n = chaosd_encode_console(buf, sizeof(buf), 11, 7,
                                     CHAOSD_CONSOLE_FOLLOW);

    ck_assert_uint_eq(n, sizeof(struct chaosd_hdr) +
                             sizeof(struct chaosd_console));
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), 0);
    ck_assert_uint_eq(m.hdr.type, CHAOSD_CONSOLE);
    ck_assert_uint_eq(m.hdr.seq, 11);
    ck_assert_uint_eq(m.u.console.domid, 7);
    ck_assert_uint_eq(m.u.console.flags, CHAOSD_CONSOLE_FOLLOW);
    n = chaosd_encode_console(buf, sizeof(buf), 12, 0x7fefu, 0);
    ck_assert_uint_eq(n, 24);
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), 0);
    ck_assert_uint_eq(m.hdr.seq, 12);
    ck_assert_uint_eq(m.u.console.domid, 0x7fefu);
    ck_assert_uint_eq(m.u.console.flags, 0);
}
END_TEST

START_TEST(test_console_data_round_trip)
{
    static const unsigned char bytes[] = { 'l', 'o', 'g', 0, 0xff, '\r', '\n' };
    static unsigned char big[CHAOSD_DATA_MAX];
    struct chaosd_msg m;
    const char *why = NULL;
    size_t n = chaosd_encode_console_data(buf, sizeof(buf), bytes,
                                          sizeof(bytes));

    ck_assert_uint_eq(n, sizeof(struct chaosd_hdr) + sizeof(bytes));
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), 0);
    ck_assert_uint_eq(m.hdr.type, CHAOSD_CONSOLE_DATA);
    ck_assert_uint_eq(m.hdr.seq, 0);
    ck_assert_uint_eq(m.u.data.len, sizeof(bytes));
    ck_assert_ptr_eq(m.u.data.bytes, buf + sizeof(struct chaosd_hdr));
    ck_assert(memcmp(m.u.data.bytes, bytes, sizeof(bytes)) == 0);

    n = chaosd_encode_console_data(buf, sizeof(buf), NULL, 0);
    ck_assert_uint_eq(n, sizeof(struct chaosd_hdr));
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), 0);
    ck_assert_uint_eq(m.hdr.type, CHAOSD_CONSOLE_DATA);
    ck_assert_uint_eq(m.u.data.len, 0);

    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (unsigned char)(i * 7);
    n = chaosd_encode_console_data(buf, sizeof(buf), big, sizeof(big));
    ck_assert_uint_eq(n, CHAOSD_MSG_MAX);
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), 0);
    ck_assert_uint_eq(m.u.data.len, CHAOSD_DATA_MAX);
    ck_assert(memcmp(m.u.data.bytes, big, sizeof(big)) == 0);
}
END_TEST

/* Encodes a valid create, applies EDIT, and expects rejection with WANT. */
static void expect_reject(size_t n_fds, void (*edit)(unsigned char *, size_t *),
                          const char *want)
{
    struct chaosd_msg m;
    const char *why = NULL;
    size_t n = chaosd_encode_create(buf, sizeof(buf), 1, 0, 1, "s", 1,
                                    "a = 1\n", 6);

    ck_assert_uint_ne(n, 0);
    if (edit)
        edit(buf, &n);
    ck_assert_int_eq(chaosd_decode(buf, n, n_fds, &m, &why), -1);
    ck_assert_ptr_nonnull(why);
    ck_assert_msg(strstr(why, want) != NULL, "rejected for '%s', wanted '%s'",
                  why, want);
}

static void u32_at(unsigned char *b, size_t off, uint32_t v)
{
    memcpy(b + off, &v, sizeof(v));
}

#define BODY sizeof(struct chaosd_hdr)
static void short_msg(unsigned char *b, size_t *n) { (void)b; *n = 10; }
static void long_msg(unsigned char *b, size_t *n) { (void)b; *n = CHAOSD_MSG_MAX + 1; }
static void bad_magic(unsigned char *b, size_t *n) { (void)n; b[0] ^= 1; }
static void bad_version(unsigned char *b, size_t *n) { (void)n; b[4] = 2; }
static void bad_len(unsigned char *b, size_t *n) { (void)b; *n -= 1; }
static void bad_type(unsigned char *b, size_t *n) { (void)n; b[6] = 0x77; }
static void bad_flags(unsigned char *b, size_t *n) { (void)n; u32_at(b, BODY, 0x80); }
static void zero_fds(unsigned char *b, size_t *n) { (void)n; u32_at(b, BODY + 4, 0); }
static void three_fds(unsigned char *b, size_t *n) { (void)n; u32_at(b, BODY + 4, 3); }
static void huge_source(unsigned char *b, size_t *n) { (void)n; u32_at(b, BODY + 8, 0xffffffffu); }
static void wrapping_lengths(unsigned char *b, size_t *n)
{
    (void)n;
    u32_at(b, BODY + 8, 0x80000000u);       /* source + config wraps */
    u32_at(b, BODY + 12, 0x80000007u);
}
static void config_short(unsigned char *b, size_t *n) { (void)n; u32_at(b, BODY + 12, 5); }
static void nul_in_source(unsigned char *b, size_t *n) { (void)n; b[BODY + 16] = '\0'; }
static void truncated_body(unsigned char *b, size_t *n)
{
    *n = BODY + 8;
    u32_at(b, 12, 8);
}

START_TEST(test_malformed_creates_are_rejected)
{
    expect_reject(1, short_msg, "shorter than its header");
    expect_reject(1, long_msg, "longer than CHAOSD_MSG_MAX");
    expect_reject(1, bad_magic, "bad magic");
    expect_reject(1, bad_version, "version");
    expect_reject(1, bad_len, "body length");
    expect_reject(1, bad_type, "unknown message type");
    expect_reject(1, bad_flags, "unknown create flags");
    expect_reject(1, zero_fds, "one or two descriptors");
    expect_reject(1, three_fds, "one or two descriptors");
    expect_reject(2, NULL, "descriptors received differ");
    expect_reject(0, NULL, "descriptors received differ");
    expect_reject(1, huge_source, "string lengths");
    expect_reject(1, wrapping_lengths, "string lengths");
    expect_reject(1, config_short, "string lengths");
    expect_reject(1, nul_in_source, "NUL in the source");
    expect_reject(1, truncated_body, "create body too short");
}
END_TEST

START_TEST(test_malformed_destroys_and_replies_are_rejected)
{
    struct chaosd_msg m;
    const char *why = NULL;
    size_t n = chaosd_encode_destroy(buf, sizeof(buf), 1, 3);

    ck_assert_int_eq(chaosd_decode(buf, n, 1, &m, &why), -1);
    ck_assert_str_eq(why, "destroy carries no descriptors");
    u32_at(buf, 12, 5);
    buf[n] = 0;
    ck_assert_int_eq(chaosd_decode(buf, n + 1, 0, &m, &why), -1);
    ck_assert_str_eq(why, "destroy body has the wrong size");

    n = chaosd_encode_reply(buf, sizeof(buf), 1, 0, 0, "ok", 2, "", 0);
    u32_at(buf, BODY + 12, 1);
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), -1);
    ck_assert_str_eq(why, "reply text lengths do not match the body");
    n = chaosd_encode_reply(buf, sizeof(buf), 1, 0, 0, "ok", 2, "", 0);
    u32_at(buf, BODY + 8, 3);
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), -1);
    ck_assert_str_eq(why, "reply text lengths do not match the body");
    n = chaosd_encode_reply(buf, sizeof(buf), 1, 0, 0, "ok", 2, "", 0);
    u32_at(buf, BODY + 8, 0xffffffffu);
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), -1);
    ck_assert_str_eq(why, "reply text lengths do not match the body");
    n = chaosd_encode_reply(buf, sizeof(buf), 1, 0, 0, "ok", 2, "", 0);
    buf[n - 1] = '\0';
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), -1);
    ck_assert_str_eq(why, "NUL in the reply text");
    n = chaosd_encode_reply(buf, sizeof(buf), 1, 0, 0, "", 0, "ok", 2);
    buf[n - 2] = '\0';
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), -1);
    ck_assert_str_eq(why, "NUL in the reply text");

    n = chaosd_encode_pool(buf, sizeof(buf), 1);
    ck_assert_int_eq(chaosd_decode(buf, n, 1, &m, &why), -1);
    ck_assert_str_eq(why, "pool request carries no descriptors");
    u32_at(buf, 12, 1);
    buf[n] = 0;
    ck_assert_int_eq(chaosd_decode(buf, n + 1, 0, &m, &why), -1);
    ck_assert_str_eq(why, "pool request has a body");
}
END_TEST

/* Expects the LEN bytes of buf, with N_FDS descriptors, to be rejected
 * with exactly WANT. */
static void expect_why(size_t len, size_t n_fds, const char *want)
{
    struct chaosd_msg m;
    const char *why = NULL;

    ck_assert_int_eq(chaosd_decode(buf, len, n_fds, &m, &why), -1);
    ck_assert_ptr_nonnull(why);
    ck_assert_str_eq(why, want);
}

START_TEST(test_malformed_consoles_are_rejected)
{
    size_t n = chaosd_encode_console(buf, sizeof(buf), 1, 3,
                                     CHAOSD_CONSOLE_FOLLOW);

    expect_why(n, 1, "console request carries no descriptors");
    expect_why(n, 2, "console request carries no descriptors");
    expect_why(BODY - 1, 0, "message shorter than its header");
    expect_why(10, 0, "message shorter than its header");
    u32_at(buf, BODY + 4, 0x2);
    expect_why(n, 0, "unknown console flags");
    u32_at(buf, BODY + 4, 0x80000000u | CHAOSD_CONSOLE_FOLLOW);
    expect_why(n, 0, "unknown console flags");
    u32_at(buf, BODY + 4, 0);
    u32_at(buf, 12, 4);                     /* only the domid */
    expect_why(BODY + 4, 0, "console body has the wrong size");
    u32_at(buf, 12, 0);                     /* no body at all */
    expect_why(BODY, 0, "console body has the wrong size");
    u32_at(buf, 12, 12);                    /* a word too many */
    u32_at(buf, BODY + 8, 0);
    expect_why(BODY + 12, 0, "console body has the wrong size");
    u32_at(buf, 12, 8);                     /* the header says more */
    expect_why(BODY + 4, 0, "body length does not match the message");
}
END_TEST

START_TEST(test_malformed_console_data_is_rejected)
{
    size_t n = chaosd_encode_console_data(buf, sizeof(buf), "ab", 2);

    expect_why(n, 1, "console data carries no descriptors");
    expect_why(BODY - 1, 0, "message shorter than its header");
    u32_at(buf, 8, 1);
    expect_why(n, 0, "console data has a non-zero seq");
    u32_at(buf, 8, 0xffffffffu);
    expect_why(n, 0, "console data has a non-zero seq");
    u32_at(buf, 8, 0);
    u32_at(buf, 12, 3);                     /* the header says more */
    expect_why(n, 0, "body length does not match the message");
    u32_at(buf, 12, 1);                     /* the header says less */
    expect_why(n, 0, "body length does not match the message");

    /* One byte more than CHAOSD_DATA_MAX, with a header that agrees. */
    n = chaosd_encode_console_data(buf, sizeof(buf), NULL, 0);
    memset(buf + BODY, 'x', CHAOSD_DATA_MAX + 1);
    u32_at(buf, 12, (uint32_t)CHAOSD_DATA_MAX + 1);
    expect_why(n + CHAOSD_DATA_MAX + 1, 0,
               "message longer than CHAOSD_MSG_MAX");
}
END_TEST

START_TEST(test_destroy_named_round_trip)
{
    struct chaosd_msg m;
    const char *why = NULL;
    char longest[CHAOSD_DOMAIN_MAX];
    size_t n = chaosd_encode_destroy_named(buf, sizeof(buf), 5,
                                           CHAOSD_DESTROY_FORCE, "web-3", 5);

    ck_assert_uint_eq(n, BODY + sizeof(struct chaosd_destroy_named) + 5);
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), 0);
    ck_assert_uint_eq(m.hdr.type, CHAOSD_DESTROY_NAMED);
    ck_assert_uint_eq(m.hdr.seq, 5);
    ck_assert_uint_eq(m.u.named.flags, CHAOSD_DESTROY_FORCE);
    ck_assert_uint_eq(m.u.named.domain_len, 5);
    ck_assert(memcmp(m.u.named.domain, "web-3", 5) == 0);

    memset(longest, 'x', sizeof(longest));
    n = chaosd_encode_destroy_named(buf, sizeof(buf), 1, 0, longest,
                                    sizeof(longest));
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), 0);
    ck_assert_uint_eq(m.u.named.domain_len, CHAOSD_DOMAIN_MAX);
}
END_TEST

START_TEST(test_malformed_named_destroys_are_rejected)
{
    struct chaosd_msg m;
    const char *why = NULL;
    size_t n = chaosd_encode_destroy_named(buf, sizeof(buf), 1, 0, "ab", 2);

    ck_assert_int_eq(chaosd_decode(buf, n, 1, &m, &why), -1);
    ck_assert_str_eq(why, "destroy carries no descriptors");
    u32_at(buf, BODY, 0x2);
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), -1);
    ck_assert_str_eq(why, "unknown destroy flags");

    n = chaosd_encode_destroy_named(buf, sizeof(buf), 1, 0, "ab", 2);
    u32_at(buf, BODY + 4, 3);
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), -1);
    ck_assert_str_eq(why, "destroy domain length does not match the body");
    u32_at(buf, BODY + 4, 0xffffffffu);
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), -1);
    ck_assert_str_eq(why, "destroy domain length does not match the body");

    /* An empty DOMAIN, and one a byte over the limit. */
    n = chaosd_encode_destroy_named(buf, sizeof(buf), 1, 0, "ab", 2);
    u32_at(buf, 12, 8);
    u32_at(buf, BODY + 4, 0);
    ck_assert_int_eq(chaosd_decode(buf, n - 2, 0, &m, &why), -1);
    ck_assert_str_eq(why, "destroy domain is empty or too long");
    memset(buf + BODY + 8, 'x', CHAOSD_DOMAIN_MAX + 1);
    u32_at(buf, 12, 8 + CHAOSD_DOMAIN_MAX + 1);
    u32_at(buf, BODY + 4, CHAOSD_DOMAIN_MAX + 1);
    ck_assert_int_eq(chaosd_decode(buf, BODY + 8 + CHAOSD_DOMAIN_MAX + 1, 0,
                                   &m, &why), -1);
    ck_assert_str_eq(why, "destroy domain is empty or too long");

    n = chaosd_encode_destroy_named(buf, sizeof(buf), 1, 0, "ab", 2);
    buf[n - 1] = '\0';
    ck_assert_int_eq(chaosd_decode(buf, n, 0, &m, &why), -1);
    ck_assert_str_eq(why, "NUL in the destroy domain");
    u32_at(buf, 12, 7);
    ck_assert_int_eq(chaosd_decode(buf, BODY + 7, 0, &m, &why), -1);
    ck_assert_str_eq(why, "destroy body too short");
}
END_TEST

START_TEST(test_encoders_refuse_what_decode_would_reject)
{
    static char big[CHAOSD_DOMAIN_MAX + 1];

    memset(big, 'x', sizeof(big));
    ck_assert_uint_eq(chaosd_encode_create(buf, sizeof(buf), 1, 0, 1, "a\0b", 3,
                                           "", 0), 0);
    ck_assert_uint_eq(chaosd_encode_create(buf, sizeof(buf), 1, 0x8, 1, "a", 1,
                                           "", 0), 0);
    ck_assert_uint_eq(chaosd_encode_create(buf, sizeof(buf), 1, 0, 3, "a", 1,
                                           "", 0), 0);
    ck_assert_uint_eq(chaosd_encode_create(buf, 20, 1, 0, 1, "a", 1, "", 0), 0);
    ck_assert_uint_eq(chaosd_encode_reply(buf, sizeof(buf), 1, 0, 0, "a\0", 2,
                                          "", 0), 0);
    ck_assert_uint_eq(chaosd_encode_reply(buf, sizeof(buf), 1, 0, 0, "", 0,
                                          "a\0", 2), 0);
    ck_assert_uint_eq(chaosd_encode_pool(buf, 15, 1), 0);
    ck_assert_uint_eq(chaosd_encode_destroy(buf, 19, 1, 1), 0);
    ck_assert_uint_eq(chaosd_encode_destroy_named(buf, sizeof(buf), 1, 0,
                                                  "", 0), 0);
    ck_assert_uint_eq(chaosd_encode_destroy_named(buf, sizeof(buf), 1, 0,
                                                  "a\0", 2), 0);
    ck_assert_uint_eq(chaosd_encode_destroy_named(buf, sizeof(buf), 1, 0x4,
                                                  "a", 1), 0);
    ck_assert_uint_eq(chaosd_encode_destroy_named(buf, sizeof(buf), 1, 0, big,
                                                  CHAOSD_DOMAIN_MAX + 1), 0);
    ck_assert_uint_eq(chaosd_encode_destroy_named(buf, 24, 1, 0, "a", 1), 0);
    ck_assert_uint_eq(chaosd_encode_destroy_named(buf, 25, 1, 0, "a", 1), 25);

    ck_assert_uint_eq(chaosd_encode_console(buf, sizeof(buf), 1, 1, 0x2), 0);
    ck_assert_uint_eq(chaosd_encode_console(buf, sizeof(buf), 1, 1,
                                            0x80000000u |
                                                CHAOSD_CONSOLE_FOLLOW), 0);
    ck_assert_uint_eq(chaosd_encode_console(buf, 23, 1, 1, 0), 0);
    ck_assert_uint_eq(chaosd_encode_console(buf, 24, 1, 1, 0), 24);
    ck_assert_uint_eq(chaosd_encode_console_data(buf, sizeof(buf), buf,
                                                 CHAOSD_DATA_MAX + 1), 0);
    ck_assert_uint_eq(chaosd_encode_console_data(buf, sizeof(buf), buf,
                                                 (size_t)-1), 0);
    ck_assert_uint_eq(chaosd_encode_console_data(buf, 15, NULL, 0), 0);
    ck_assert_uint_eq(chaosd_encode_console_data(buf, 17, "ab", 2), 0);
    ck_assert_uint_eq(chaosd_encode_console_data(buf, 18, "ab", 2), 18);
}
END_TEST

Suite *chaosd_msg_suite(void)
{
    Suite *s = suite_create("chaosd_msg");
    TCase *tc = tcase_create("codec");

    tcase_add_test(tc, test_create_round_trip);
    tcase_add_test(tc, test_destroy_and_reply_round_trip);
    tcase_add_test(tc, test_malformed_creates_are_rejected);
    tcase_add_test(tc, test_malformed_destroys_and_replies_are_rejected);
    tcase_add_test(tc, test_destroy_named_round_trip);
    tcase_add_test(tc, test_malformed_named_destroys_are_rejected);
    tcase_add_test(tc, test_console_round_trip);
    tcase_add_test(tc, test_console_data_round_trip);
    tcase_add_test(tc, test_malformed_consoles_are_rejected);
    tcase_add_test(tc, test_malformed_console_data_is_rejected);
    tcase_add_test(tc, test_encoders_refuse_what_decode_would_reject);
    suite_add_tcase(s, tc);
    return s;
}
