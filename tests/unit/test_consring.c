/*
 * test_consring.c: the dom0 end of the console ring (chaos/consring.c):
 * taking output with sane, wrapped and hostile indices; what was consumed
 * before; the whole ring; input into a nearly full ring and a ring whose
 * guest-written index is hostile.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../../chaos/consring.h"
#include "unit.h"

#define OUT_SIZE CONSRING_OUT_SIZE
#define IN_SIZE  sizeof(((struct xencons_interface *)0)->in)

static struct xencons_interface ring;
static char buf[OUT_SIZE];

/* Puts N bytes of output ending at index PROD, byte I being 'a' + I % 26
 * for index I, and sets the indices. */
static void fill(XENCONS_RING_IDX cons, XENCONS_RING_IDX prod)
{
    memset(&ring, 0, sizeof(ring));
    for (XENCONS_RING_IDX i = prod - (XENCONS_RING_IDX)OUT_SIZE; i != prod; i++)
        ring.out[MASK_XENCONS_IDX(i, ring.out)] = (char)('a' + i % 26);
    ring.out_cons = cons;
    ring.out_prod = prod;
}

/* Whether BUF holds the bytes of indices START to START + N - 1. */
static bool holds(XENCONS_RING_IDX start, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (buf[i] != (char)('a' + (XENCONS_RING_IDX)(start + i) % 26))
            return false;
    return true;
}

START_TEST(test_take_new_output)
{
    fill(100, 130);
    ck_assert_uint_eq(consring_take(&ring, buf), 30);
    ck_assert(holds(100, 30));
    ck_assert_uint_eq(ring.out_cons, 130);
    ck_assert_uint_eq(consring_take(&ring, buf), 0);
}
END_TEST

START_TEST(test_take_wraps_slots_and_indices)
{
    fill(UINT32_MAX - 9, 20);           /* 30 bytes across 2^32 */
    ck_assert_uint_eq(consring_take(&ring, buf), 30);
    ck_assert(holds(UINT32_MAX - 9, 30));
    ck_assert_uint_eq(ring.out_cons, 20);
}
END_TEST

START_TEST(test_take_hostile_keeps_the_newest)
{
    fill(0, 5 * OUT_SIZE + 7);          /* prod far ahead of cons */
    ck_assert_uint_eq(consring_take(&ring, buf), OUT_SIZE);
    ck_assert(holds(4 * OUT_SIZE + 7, OUT_SIZE));
    fill(500, 100);                     /* prod behind cons */
    ck_assert_uint_eq(consring_take(&ring, buf), OUT_SIZE);
    ck_assert_uint_eq(ring.out_cons, 100);
}
END_TEST

START_TEST(test_consumed_is_history)
{
    fill(100, 130);
    ck_assert_uint_eq(consring_consumed(&ring, buf), 100);
    ck_assert(holds(0, 100));
    fill(3 * OUT_SIZE, 3 * OUT_SIZE + 10);   /* all the ring holds before */
    ck_assert_uint_eq(consring_consumed(&ring, buf), OUT_SIZE - 10);
    ck_assert(holds(2 * OUT_SIZE + 10, OUT_SIZE - 10));
    fill(200, 100);                     /* cons outside what the ring holds */
    ck_assert_uint_eq(consring_consumed(&ring, buf), 0);
    ck_assert_uint_eq(ring.out_cons, 200);   /* nothing consumed */
}
END_TEST

START_TEST(test_all_is_the_ring)
{
    fill(0, 30);
    ck_assert_uint_eq(consring_all(&ring, buf), 30);
    ck_assert(holds(0, 30));
    fill(7, 10 * OUT_SIZE + 3);
    ck_assert_uint_eq(consring_all(&ring, buf), OUT_SIZE);
    ck_assert(holds(9 * OUT_SIZE + 3, OUT_SIZE));
    ck_assert_uint_eq(ring.out_cons, 7);
}
END_TEST

START_TEST(test_put_fills_what_fits)
{
    char in[IN_SIZE + 10];

    memset(in, 'x', sizeof(in));
    memset(&ring, 0, sizeof(ring));
    ring.in_cons = ring.in_prod = UINT32_MAX - 2;
    ck_assert_uint_eq(consring_put(&ring, "hello", 5), 5);
    ck_assert_uint_eq(ring.in_prod, 2);
    ck_assert_int_eq(ring.in[MASK_XENCONS_IDX(UINT32_MAX - 2, ring.in)], 'h');
    ck_assert_int_eq(ring.in[MASK_XENCONS_IDX(1, ring.in)], 'o');
    ck_assert_uint_eq(consring_put(&ring, in, sizeof(in)), IN_SIZE - 5);
    ck_assert_uint_eq(consring_put(&ring, in, 1), 0);    /* full */
}
END_TEST

START_TEST(test_put_hostile_gets_nothing)
{
    memset(&ring, 0, sizeof(ring));
    ring.in_prod = 10;
    ring.in_cons = 10 + 5;              /* the guest ran ahead of us */
    ck_assert_uint_eq(consring_put(&ring, "a", 1), 0);
    ck_assert_uint_eq(ring.in_prod, 10);
}
END_TEST

Suite *consring_suite(void)
{
    Suite *s = suite_create("consring");
    TCase *tc = tcase_create("ring");

    tcase_add_test(tc, test_take_new_output);
    tcase_add_test(tc, test_take_wraps_slots_and_indices);
    tcase_add_test(tc, test_take_hostile_keeps_the_newest);
    tcase_add_test(tc, test_consumed_is_history);
    tcase_add_test(tc, test_all_is_the_ring);
    tcase_add_test(tc, test_put_fills_what_fits);
    tcase_add_test(tc, test_put_hostile_gets_nothing);
    suite_add_tcase(s, tc);
    return s;
}
