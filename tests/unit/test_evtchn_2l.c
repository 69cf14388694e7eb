/*
 * test_evtchn_2l.c: 2-level event channel bitmaps and the upcall's scan:
 * selector consumption, masking, delivery order and pending clearing.
 */
#include <string.h>

#include "evtchn_2l.h"
#include "unit.h"

static xen_ulong_t sel;
static xen_ulong_t pending[EVTCHN_2L_NR_WORDS];
static xen_ulong_t mask[EVTCHN_2L_NR_WORDS];

static evtchn_port_t seen[64];
static unsigned int nr_seen;
static bool pending_at_delivery;

static void setup(void)
{
    sel = 0;
    memset(pending, 0, sizeof(pending));
    memset(mask, 0, sizeof(mask));
    nr_seen = 0;
    pending_at_delivery = false;
}

static void record(evtchn_port_t port, void *arg)
{
    ck_assert_ptr_eq(arg, &seen);
    if (evtchn_2l_test(pending, port))
        pending_at_delivery = true;
    ck_assert_uint_lt(nr_seen, 64);
    seen[nr_seen++] = port;
}

/* As Xen's set_pending does for an unmasked port. */
static void raise(evtchn_port_t port)
{
    evtchn_2l_set(pending, port);
    sel |= (xen_ulong_t)1 << (port / EVTCHN_2L_BITS_PER_WORD);
}

START_TEST(geometry)
{
    ck_assert_uint_eq(EVTCHN_2L_BITS_PER_WORD, 64);
    ck_assert_uint_eq(EVTCHN_2L_NR_PORTS, 4096);
}
END_TEST

START_TEST(set_clear_test)
{
    static const evtchn_port_t ports[] = { 0, 1, 63, 64, 1000, 4095 };
    unsigned int i;

    for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
        ck_assert(!evtchn_2l_test(mask, ports[i]));
        evtchn_2l_set(mask, ports[i]);
        ck_assert(evtchn_2l_test(mask, ports[i]));
    }
    ck_assert_uint_eq(mask[0], (1UL << 0) | (1UL << 1) | (1UL << 63));
    ck_assert_uint_eq(mask[1], 1UL);
    ck_assert_uint_eq(mask[1000 / 64], 1UL << (1000 % 64));
    ck_assert_uint_eq(mask[63], 1UL << 63);

    evtchn_2l_clear(mask, 63);
    ck_assert(!evtchn_2l_test(mask, 63));
    ck_assert(evtchn_2l_test(mask, 0));
    ck_assert(evtchn_2l_test(mask, 1));
}
END_TEST

START_TEST(set_all_masks_every_port)
{
    evtchn_port_t p;

    evtchn_2l_set_all(mask);
    for (p = 0; p < EVTCHN_2L_NR_PORTS; p++)
        ck_assert(evtchn_2l_test(mask, p));
}
END_TEST

START_TEST(dispatch_delivers_in_port_order)
{
    raise(4095);
    raise(200);
    raise(64);
    raise(1);
    ck_assert_uint_eq(evtchn_2l_dispatch(&sel, pending, mask, record, &seen),
                      4);
    ck_assert_uint_eq(nr_seen, 4);
    ck_assert_uint_eq(seen[0], 1);
    ck_assert_uint_eq(seen[1], 64);
    ck_assert_uint_eq(seen[2], 200);
    ck_assert_uint_eq(seen[3], 4095);
}
END_TEST

START_TEST(dispatch_clears_pending_before_handler)
{
    raise(5);
    evtchn_2l_dispatch(&sel, pending, mask, record, &seen);
    ck_assert(!pending_at_delivery);
    ck_assert(!evtchn_2l_test(pending, 5));
    ck_assert_uint_eq(sel, 0);
}
END_TEST

START_TEST(dispatch_skips_masked_and_keeps_them_pending)
{
    raise(1);
    raise(63);
    raise(70);
    evtchn_2l_set(mask, 63);
    evtchn_2l_set(mask, 70);
    ck_assert_uint_eq(evtchn_2l_dispatch(&sel, pending, mask, record, &seen),
                      1);
    ck_assert_uint_eq(seen[0], 1);
    ck_assert(evtchn_2l_test(pending, 63));
    ck_assert(evtchn_2l_test(pending, 70));
    ck_assert(!evtchn_2l_test(pending, 1));
    ck_assert_uint_eq(sel, 0);
}
END_TEST

START_TEST(dispatch_only_scans_selected_words)
{
    /* Pending in word 2, but the selector only names word 0. */
    evtchn_2l_set(pending, 130);
    raise(3);
    ck_assert_uint_eq(evtchn_2l_dispatch(&sel, pending, mask, record, &seen),
                      1);
    ck_assert_uint_eq(seen[0], 3);
    ck_assert(evtchn_2l_test(pending, 130));
}
END_TEST

START_TEST(dispatch_with_nothing_selected)
{
    evtchn_2l_set(pending, 9);
    ck_assert_uint_eq(evtchn_2l_dispatch(&sel, pending, mask, record, &seen),
                      0);
    ck_assert_uint_eq(nr_seen, 0);
    ck_assert(evtchn_2l_test(pending, 9));
}
END_TEST

Suite *evtchn_2l_suite(void)
{
    Suite *s = suite_create("evtchn_2l");
    TCase *tc = tcase_create("bitmaps");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, geometry);
    tcase_add_test(tc, set_clear_test);
    tcase_add_test(tc, set_all_masks_every_port);
    tcase_add_test(tc, dispatch_delivers_in_port_order);
    tcase_add_test(tc, dispatch_clears_pending_before_handler);
    tcase_add_test(tc, dispatch_skips_masked_and_keeps_them_pending);
    tcase_add_test(tc, dispatch_only_scans_selected_words);
    tcase_add_test(tc, dispatch_with_nothing_selected);
    suite_add_tcase(s, tc);
    return s;
}
