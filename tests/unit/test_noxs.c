/*
 * test_noxs.c: the NOXS dom0 library (libnoxs/): device lists, writing a
 * device page and reading one that cannot be trusted (hostile headers,
 * sizes, counts and entries, and a later version's larger entries), and
 * checking a control page's guest half against the state machine.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "../../libnoxs/ctrl.h"
#include "../../libnoxs/devpage.h"
#include "unit.h"

static unsigned char page[NOXS_PAGE_SIZE];

static struct noxs_dev_entry vif(uint32_t devid)
{
    struct noxs_dev_entry e = {
        .type = NOXS_DEV_VIF, .backend_domid = 0, .devid = devid,
        .ctrl_gref = 100 + devid, .evtchn = 10 + devid,
        .mac = { 0x00, 0x16, 0x3e, 0x01, 0x02, (uint8_t)devid },
        .mtu = 1500,
    };
    return e;
}

static struct noxs_dev_page_hdr *hdr(void)
{
    return (struct noxs_dev_page_hdr *)page;
}

START_TEST(test_devlist)
{
    struct noxs_devlist l = { 0 };
    struct noxs_dev_entry e = vif(0), none = { 0 };

    ck_assert_int_eq(noxs_devlist_add(&l, &e), 0);
    ck_assert_int_eq(noxs_devlist_add(&l, &e), EEXIST);
    ck_assert_int_eq(noxs_devlist_add(&l, &none), EINVAL);
    for (uint32_t i = 1; i < NOXS_DEV_MAX; i++) {
        e = vif(i);
        ck_assert_int_eq(noxs_devlist_add(&l, &e), 0);
    }
    e = vif(NOXS_DEV_MAX);
    ck_assert_int_eq(noxs_devlist_add(&l, &e), ENOSPC);
    ck_assert_uint_eq(l.n, NOXS_DEV_MAX);
    ck_assert_int_eq(noxs_devlist_remove(&l, NOXS_DEV_VIF, 5), 0);
    ck_assert_int_eq(noxs_devlist_remove(&l, NOXS_DEV_VIF, 5), ENOENT);
    ck_assert_ptr_null(noxs_devlist_find(&l, NOXS_DEV_VIF, 5));
    ck_assert_uint_eq(l.devs[5].devid, 6);          /* order kept */
    ck_assert_uint_eq(noxs_devlist_find(&l, NOXS_DEV_VIF, 63)->ctrl_gref, 163);
}
END_TEST

START_TEST(test_write_read)
{
    struct noxs_devlist l = { 0 }, back;
    struct noxs_dev_entry a = vif(0), b = vif(3);
    const char *why = NULL;
    uint32_t gen = 1;

    memset(page, 0xa5, sizeof(page));
    noxs_devlist_add(&l, &a);
    noxs_devlist_add(&l, &b);
    noxs_devpage_write(page, &l, 4);
    ck_assert_mem_eq(hdr()->magic, "NOXSDEV", 8);
    ck_assert_uint_eq(hdr()->version, 1);
    ck_assert_uint_eq(hdr()->entry_count, 2);
    for (size_t i = 32 + 2 * 32; i < sizeof(page); i++)
        ck_assert_msg(page[i] == 0, "byte %zu after the table not zero", i);
    ck_assert_int_eq(noxs_devpage_read(page, &back, &gen, &why), 0);
    ck_assert_uint_eq(gen, 4);
    ck_assert_uint_eq(back.n, 2);
    ck_assert_mem_eq(&back.devs[0], &a, sizeof(a));
    ck_assert_mem_eq(&back.devs[1], &b, sizeof(b));

    noxs_devpage_begin(page, 6);
    ck_assert_int_eq(noxs_devpage_read(page, &back, &gen, &why), -1);
    ck_assert_str_eq(why, "being rewritten (odd generation)");
    noxs_devpage_write(page, &l, 6);
    ck_assert_int_eq(noxs_devpage_read(page, &back, &gen, &why), 0);
    ck_assert_uint_eq(gen, 6);
}
END_TEST

/* A valid page with one vif, then BREAK applied to its header. */
static int read_broken(void (*brk)(void), const char **why)
{
    struct noxs_devlist l = { 0 }, back;
    struct noxs_dev_entry e = vif(0);
    uint32_t gen;

    noxs_devlist_add(&l, &e);
    noxs_devpage_write(page, &l, 2);
    brk();
    return noxs_devpage_read(page, &back, &gen, why);
}

static void no_magic(void) { hdr()->magic[0] = 'X'; }
static void zeroed(void) { memset(page, 0, sizeof(page)); }
static void version_0(void) { hdr()->version = 0; }
static void small_header(void) { hdr()->header_size = 31; }
static void small_entry(void) { hdr()->entry_size = 31; }
static void huge_header(void) { hdr()->header_size = 4097; }
static void too_many(void) { hdr()->entry_count = 128; }
static void big_entries(void) { hdr()->entry_size = 0xffff; }
static void odd(void) { hdr()->generation = 3; }

START_TEST(test_read_hostile)
{
    static void (*const breaks[])(void) = {
        no_magic, zeroed, version_0, small_header, small_entry,
        huge_header, too_many, big_entries, odd,
    };
    const char *why;

    for (size_t i = 0; i < sizeof(breaks) / sizeof(breaks[0]); i++) {
        why = NULL;
        ck_assert_msg(read_broken(breaks[i], &why) == -1, "break %zu", i);
        ck_assert_ptr_nonnull(why);
    }
}
END_TEST

START_TEST(test_read_duplicates)
{
    struct noxs_devlist l = { 0 }, back;
    struct noxs_dev_entry e = vif(2);
    const char *why;
    uint32_t gen;

    noxs_devlist_add(&l, &e);
    noxs_devpage_write(page, &l, 0);
    memcpy(page + 64, page + 32, 32);               /* the same vif again */
    hdr()->entry_count = 2;
    ck_assert_int_eq(noxs_devpage_read(page, &back, &gen, &why), -1);
    ck_assert_uint_eq(back.n, 0);
}
END_TEST

/* A later version: a 40-byte header and 48-byte entries, one of a type
 * this reader does not know. */
START_TEST(test_read_later_version)
{
    struct noxs_dev_page_hdr h = {
        .magic = NOXS_DEV_MAGIC, .version = 2, .header_size = 40,
        .entry_size = 48, .entry_count = 3, .generation = 8,
    };
    struct noxs_dev_entry a = vif(0), b = vif(1), other = vif(9);
    struct noxs_devlist back;
    const char *why;
    uint32_t gen;

    other.type = 7;
    memset(page, 0x5a, sizeof(page));
    memcpy(page, &h, sizeof(h));
    memcpy(page + 40, &a, sizeof(a));
    memcpy(page + 40 + 48, &other, sizeof(other));
    memcpy(page + 40 + 96, &b, sizeof(b));
    ck_assert_int_eq(noxs_devpage_read(page, &back, &gen, &why), 0);
    ck_assert_uint_eq(back.n, 2);
    ck_assert_mem_eq(&back.devs[0], &a, sizeof(a));
    ck_assert_mem_eq(&back.devs[1], &b, sizeof(b));
}
END_TEST

/* Pages of noise never make the reader fail other than cleanly. */
START_TEST(test_read_noise)
{
    uint32_t x = 12345, gen;
    struct noxs_devlist back;
    const char *why;

    for (int round = 0; round < 2000; round++) {
        for (size_t i = 0; i < sizeof(page); i++) {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            page[i] = (unsigned char)x;
        }
        if (round & 1)
            memcpy(page, NOXS_DEV_MAGIC, 8);       /* get past the magic */
        if (noxs_devpage_read(page, &back, &gen, &why) == 0)
            ck_assert_uint_le(back.n, NOXS_DEV_MAX);
    }
}
END_TEST

static struct noxs_ctrl_fe fe_of(uint32_t state, uint32_t features,
                                 uint32_t tx, uint32_t rx)
{
    struct noxs_ctrl_page p = { 0 };
    struct noxs_ctrl_fe fe;

    p.fe.state = state;
    p.fe.features = features;
    p.fe.tx_ring_gref = tx;
    p.fe.rx_ring_gref = rx;
    memset(p.fe.reserved, 0xff, sizeof(p.fe.reserved));
    noxs_ctrl_fe_copy(&p, &fe);
    return fe;
}

START_TEST(test_ctrl)
{
    const uint32_t be = NOXS_VIF_RX_COPY | NOXS_VIF_SG;
    struct noxs_ctrl_fe fe;
    const char *why;

    fe = fe_of(NOXS_STATE_INITIALISED, NOXS_VIF_RX_COPY, 8, 9);
    ck_assert_uint_eq(fe.reserved[0], 0);           /* not copied */
    ck_assert_int_eq(noxs_ctrl_fe_check(&fe, NOXS_STATE_INITIALISING, be, &why), 0);
    ck_assert_int_eq(noxs_ctrl_fe_check(&fe, NOXS_STATE_UNKNOWN, be, &why), 0);
    ck_assert_int_eq(noxs_ctrl_fe_check(&fe, NOXS_STATE_CONNECTED, be, &why), -1);
    fe = fe_of(NOXS_STATE_INITIALISED, NOXS_VIF_GSO_TCPV4, 8, 9);
    ck_assert_int_eq(noxs_ctrl_fe_check(&fe, NOXS_STATE_INITIALISING, be, &why), -1);
    ck_assert_str_eq(why, "it asks for features the backend does not offer");
    fe = fe_of(NOXS_STATE_INITIALISED, 0, 0, 9);
    ck_assert_int_eq(noxs_ctrl_fe_check(&fe, NOXS_STATE_INITIALISING, be, &why), -1);
    fe = fe_of(NOXS_STATE_CONNECTED, 0, 8, 9);
    ck_assert_int_eq(noxs_ctrl_fe_check(&fe, NOXS_STATE_INITIALISED, be, &why), 0);
    ck_assert_int_eq(noxs_ctrl_fe_check(&fe, NOXS_STATE_INITIALISING, be, &why), -1);
    ck_assert_int_eq(noxs_ctrl_fe_check(&fe, NOXS_STATE_CONNECTED, be, &why), 0);
    fe = fe_of(NOXS_STATE_CLOSING, 0, 0, 0);
    ck_assert_int_eq(noxs_ctrl_fe_check(&fe, NOXS_STATE_CONNECTED, be, &why), 0);
    fe = fe_of(NOXS_STATE_CLOSED, 0, 0, 0);
    ck_assert_int_eq(noxs_ctrl_fe_check(&fe, NOXS_STATE_INITIALISING, be, &why), 0);
    fe = fe_of(NOXS_STATE_INIT_WAIT, 0, 0, 0);      /* the backend's state */
    ck_assert_int_eq(noxs_ctrl_fe_check(&fe, NOXS_STATE_CONNECTED, be, &why), -1);
    fe = fe_of(99, 0, 0, 0);
    ck_assert_int_eq(noxs_ctrl_fe_check(&fe, NOXS_STATE_CONNECTED, be, &why), -1);
    ck_assert_str_eq(why, "an unknown state");
}
END_TEST

Suite *noxs_suite(void)
{
    Suite *s = suite_create("noxs");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_devlist);
    tcase_add_test(tc, test_write_read);
    tcase_add_test(tc, test_read_hostile);
    tcase_add_test(tc, test_read_duplicates);
    tcase_add_test(tc, test_read_later_version);
    tcase_add_test(tc, test_read_noise);
    tcase_add_test(tc, test_ctrl);
    suite_add_tcase(s, tc);
    return s;
}
