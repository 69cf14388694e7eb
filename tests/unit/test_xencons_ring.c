/*
 * test_xencons_ring.c: the console output ring producer: wraparound of
 * slots and of the 32-bit indices, partial writes into a nearly full
 * ring, never overwriting unconsumed data, and broken indices. The input
 * ring consumer: reads, partial reads, an empty ring, the same
 * wraparounds, and hostile indices dropping everything.
 */
#include <stdint.h>
#include <string.h>

#include "unit.h"
#include "xencons_ring.h"

#define RING_SIZE sizeof(((struct xencons_interface *)0)->out)
#define IN_SIZE   sizeof(((struct xencons_interface *)0)->in)

static struct xencons_interface ring;

static void reset(XENCONS_RING_IDX cons, XENCONS_RING_IDX prod)
{
    memset(&ring, 0, sizeof(ring));
    ring.out_cons = cons;
    ring.out_prod = prod;
}

static void reset_in(XENCONS_RING_IDX cons, XENCONS_RING_IDX prod)
{
    memset(&ring, 0, sizeof(ring));
    ring.in_cons = cons;
    ring.in_prod = prod;
}

START_TEST(ring_is_2048_bytes)
{
    ck_assert_uint_eq(RING_SIZE, 2048);
}
END_TEST

START_TEST(appends_and_publishes)
{
    reset(0, 0);
    ck_assert_uint_eq(xencons_out_put(&ring, "hello", 5), 5);
    ck_assert_uint_eq(ring.out_prod, 5);
    ck_assert_uint_eq(ring.out_cons, 0);
    ck_assert_mem_eq(ring.out, "hello", 5);
    ck_assert_int_eq(ring.out[5], 0);

    ck_assert_uint_eq(xencons_out_put(&ring, " you", 4), 4);
    ck_assert_uint_eq(ring.out_prod, 9);
    ck_assert_mem_eq(ring.out, "hello you", 9);
}
END_TEST

START_TEST(zero_length_is_a_no_op)
{
    reset(3, 3);
    ck_assert_uint_eq(xencons_out_put(&ring, "x", 0), 0);
    ck_assert_uint_eq(ring.out_prod, 3);
}
END_TEST

START_TEST(slots_wrap_at_2048)
{
    reset(2045, 2045);
    ck_assert_uint_eq(xencons_out_put(&ring, "abcdef", 6), 6);
    ck_assert_uint_eq(ring.out_prod, 2051);
    ck_assert_mem_eq(ring.out + 2045, "abc", 3);
    ck_assert_mem_eq(ring.out, "def", 3);
}
END_TEST

START_TEST(indices_wrap_at_2_32)
{
    XENCONS_RING_IDX start = UINT32_MAX - 2;

    reset(start, start);
    ck_assert_uint_eq(xencons_out_put(&ring, "wxyz1", 5), 5);
    ck_assert_uint_eq(ring.out_prod, 2);
    ck_assert_mem_eq(ring.out + 2045, "wxy", 3);
    ck_assert_mem_eq(ring.out, "z1", 2);
    ck_assert(!xencons_out_drained(&ring));
    ring.out_cons = 2;
    ck_assert(xencons_out_drained(&ring));
}
END_TEST

START_TEST(full_ring_takes_only_what_fits)
{
    reset(0, 2040);
    ck_assert(xencons_out_has_room(&ring));
    ck_assert_uint_eq(xencons_out_put(&ring, "0123456789abcdefghij", 20), 8);
    ck_assert_uint_eq(ring.out_prod, 2048);
    ck_assert_mem_eq(ring.out + 2040, "01234567", 8);
    ck_assert(!xencons_out_has_room(&ring));
    ck_assert_uint_eq(xencons_out_put(&ring, "89", 2), 0);
    ck_assert_uint_eq(ring.out_prod, 2048);

    /* The backend consumes 3 bytes: exactly 3 more fit, at slots 0-2. */
    ring.out_cons = 3;
    ck_assert_uint_eq(xencons_out_put(&ring, "89abc", 5), 3);
    ck_assert_uint_eq(ring.out_prod, 2051);
    ck_assert_mem_eq(ring.out, "89a", 3);
}
END_TEST

START_TEST(full_ring_across_index_wrap)
{
    XENCONS_RING_IDX cons = UINT32_MAX - 100;

    reset(cons, cons + 2048);
    ck_assert(!xencons_out_has_room(&ring));
    ck_assert_uint_eq(xencons_out_put(&ring, "x", 1), 0);
    ck_assert_uint_eq(ring.out_prod, (XENCONS_RING_IDX)(cons + 2048));
}
END_TEST

START_TEST(never_overwrites_unconsumed_data)
{
    char before[RING_SIZE];
    XENCONS_RING_IDX cons = 100, prod = 100 + 2040;
    unsigned int i, changed = 0;

    reset(cons, prod);
    for (i = 0; i < RING_SIZE; i++)
        ring.out[i] = (char)('A' + i % 26);
    memcpy(before, ring.out, RING_SIZE);

    ck_assert_uint_eq(xencons_out_put(&ring, "0123456789abcdefghij", 20), 8);
    for (i = 0; i < RING_SIZE; i++) {
        XENCONS_RING_IDX slot_from_prod = (i - prod) % RING_SIZE;

        if (ring.out[i] != before[i]) {
            changed++;
            /* Only the 8 free slots, prod .. prod + 7 (mod 2048). */
            ck_assert_uint_lt(slot_from_prod, 8);
        }
    }
    ck_assert_uint_eq(changed, 8);
}
END_TEST

START_TEST(broken_indices_count_as_full)
{
    reset(0, 2049);
    ck_assert(!xencons_out_has_room(&ring));
    ck_assert_uint_eq(xencons_out_put(&ring, "x", 1), 0);
    ck_assert_uint_eq(ring.out_prod, 2049);
    ck_assert_int_eq(ring.out[2049 % 2048], 0);

    /* Consumer ahead of producer: also more than 2048 "in use". */
    reset(10, 5);
    ck_assert_uint_eq(xencons_out_put(&ring, "x", 1), 0);
    ck_assert_uint_eq(ring.out_prod, 5);
}
END_TEST

START_TEST(drained_tracks_consumer)
{
    reset(7, 7);
    ck_assert(xencons_out_drained(&ring));
    xencons_out_put(&ring, "ab", 2);
    ck_assert(!xencons_out_drained(&ring));
    ring.out_cons = 8;
    ck_assert(!xencons_out_drained(&ring));
    ring.out_cons = 9;
    ck_assert(xencons_out_drained(&ring));
}
END_TEST

START_TEST(input_ring_untouched)
{
    reset(0, 0);
    memset(ring.in, 'I', sizeof(ring.in));
    ring.in_cons = 11;
    ring.in_prod = 22;
    xencons_out_put(&ring, "data", 4);
    ck_assert_uint_eq(ring.in_cons, 11);
    ck_assert_uint_eq(ring.in_prod, 22);
    ck_assert_int_eq(ring.in[0], 'I');
    ck_assert_int_eq(ring.in[sizeof(ring.in) - 1], 'I');
}
END_TEST

START_TEST(in_ring_is_1024_bytes)
{
    ck_assert_uint_eq(IN_SIZE, 1024);
}
END_TEST

START_TEST(in_reads_and_consumes)
{
    char buf[16];

    reset_in(0, 6);
    memcpy(ring.in, "hello\n", 6);
    memset(buf, 'z', sizeof(buf));
    ck_assert_uint_eq(xencons_in_get(&ring, buf, sizeof(buf)), 6);
    ck_assert_mem_eq(buf, "hello\n", 6);
    ck_assert_int_eq(buf[6], 'z');
    ck_assert_uint_eq(ring.in_cons, 6);
    ck_assert_uint_eq(ring.in_prod, 6);
    ck_assert_uint_eq(xencons_in_get(&ring, buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(in_takes_at_most_len)
{
    char buf[4];

    reset_in(0, 10);
    memcpy(ring.in, "0123456789", 10);
    ck_assert_uint_eq(xencons_in_get(&ring, buf, 3), 3);
    ck_assert_mem_eq(buf, "012", 3);
    ck_assert_uint_eq(ring.in_cons, 3);
    ck_assert_uint_eq(xencons_in_get(&ring, buf, 4), 4);
    ck_assert_mem_eq(buf, "3456", 4);
    ck_assert_uint_eq(ring.in_cons, 7);
    ck_assert_uint_eq(xencons_in_get(&ring, buf, 0), 0);
    ck_assert_uint_eq(ring.in_cons, 7);
}
END_TEST

START_TEST(in_empty_ring_gives_nothing)
{
    char buf[4] = "zzz";

    reset_in(42, 42);
    ck_assert_uint_eq(xencons_in_get(&ring, buf, sizeof(buf)), 0);
    ck_assert_uint_eq(ring.in_cons, 42);
    ck_assert_uint_eq(ring.in_prod, 42);
    ck_assert_mem_eq(buf, "zzz", 4);
}
END_TEST

START_TEST(in_slots_wrap_at_1024)
{
    char buf[8];

    reset_in(1021, 1027);
    memcpy(ring.in + 1021, "abc", 3);
    memcpy(ring.in, "def", 3);
    ck_assert_uint_eq(xencons_in_get(&ring, buf, sizeof(buf)), 6);
    ck_assert_mem_eq(buf, "abcdef", 6);
    ck_assert_uint_eq(ring.in_cons, 1027);
}
END_TEST

START_TEST(in_indices_wrap_at_2_32)
{
    XENCONS_RING_IDX start = UINT32_MAX - 2;
    char buf[8];

    reset_in(start, start + 5);
    memcpy(ring.in + 1021, "wxy", 3);
    memcpy(ring.in, "z1", 2);
    ck_assert_uint_eq(xencons_in_get(&ring, buf, sizeof(buf)), 5);
    ck_assert_mem_eq(buf, "wxyz1", 5);
    ck_assert_uint_eq(ring.in_cons, 2);
}
END_TEST

START_TEST(in_full_ring_is_read_whole)
{
    char buf[IN_SIZE + 1];
    unsigned int i;

    reset_in(500, 500 + IN_SIZE);
    for (i = 0; i < IN_SIZE; i++)
        ring.in[i] = (char)('A' + i % 26);
    ck_assert_uint_eq(xencons_in_get(&ring, buf, sizeof(buf)), IN_SIZE);
    ck_assert_mem_eq(buf, ring.in + 500, IN_SIZE - 500);
    ck_assert_mem_eq(buf + IN_SIZE - 500, ring.in, 500);
    ck_assert_uint_eq(ring.in_cons, 500 + IN_SIZE);
}
END_TEST

START_TEST(in_hostile_prod_drops_everything)
{
    char buf[IN_SIZE] = "untouched";

    reset_in(100, 100 + IN_SIZE + 1);
    memset(ring.in, 'X', sizeof(ring.in));
    ck_assert_uint_eq(xencons_in_get(&ring, buf, sizeof(buf)), 0);
    ck_assert_uint_eq(ring.in_cons, 100 + IN_SIZE + 1);
    ck_assert_str_eq(buf, "untouched");

    /* Producer behind the consumer: also more than 1024 "in use". */
    reset_in(10, 5);
    ck_assert_uint_eq(xencons_in_get(&ring, buf, sizeof(buf)), 0);
    ck_assert_uint_eq(ring.in_cons, 5);

    /* Far ahead, across the 2^32 wrap. */
    reset_in(UINT32_MAX - 1, 0x7fffffff);
    ck_assert_uint_eq(xencons_in_get(&ring, buf, sizeof(buf)), 0);
    ck_assert_uint_eq(ring.in_cons, 0x7fffffff);
    ck_assert_str_eq(buf, "untouched");

    /* Once reset, the ring works again. */
    ring.in[0x7fffffff % IN_SIZE] = 'k';
    ring.in_prod = 0x80000000;
    ck_assert_uint_eq(xencons_in_get(&ring, buf, sizeof(buf)), 1);
    ck_assert_int_eq(buf[0], 'k');
    ck_assert_uint_eq(ring.in_cons, 0x80000000);
}
END_TEST

START_TEST(output_ring_untouched)
{
    char buf[4];

    reset_in(0, 3);
    memset(ring.out, 'O', sizeof(ring.out));
    ring.out_cons = 11;
    ring.out_prod = 22;
    ck_assert_uint_eq(xencons_in_get(&ring, buf, sizeof(buf)), 3);
    ck_assert_uint_eq(ring.out_cons, 11);
    ck_assert_uint_eq(ring.out_prod, 22);
    ck_assert_int_eq(ring.out[0], 'O');
    ck_assert_int_eq(ring.out[sizeof(ring.out) - 1], 'O');
}
END_TEST

Suite *xencons_ring_suite(void)
{
    Suite *s = suite_create("xencons_ring");
    TCase *tc = tcase_create("out");
    TCase *tc_in = tcase_create("in");

    tcase_add_test(tc, ring_is_2048_bytes);
    tcase_add_test(tc, appends_and_publishes);
    tcase_add_test(tc, zero_length_is_a_no_op);
    tcase_add_test(tc, slots_wrap_at_2048);
    tcase_add_test(tc, indices_wrap_at_2_32);
    tcase_add_test(tc, full_ring_takes_only_what_fits);
    tcase_add_test(tc, full_ring_across_index_wrap);
    tcase_add_test(tc, never_overwrites_unconsumed_data);
    tcase_add_test(tc, broken_indices_count_as_full);
    tcase_add_test(tc, drained_tracks_consumer);
    tcase_add_test(tc, input_ring_untouched);
    suite_add_tcase(s, tc);

    tcase_add_test(tc_in, in_ring_is_1024_bytes);
    tcase_add_test(tc_in, in_reads_and_consumes);
    tcase_add_test(tc_in, in_takes_at_most_len);
    tcase_add_test(tc_in, in_empty_ring_gives_nothing);
    tcase_add_test(tc_in, in_slots_wrap_at_1024);
    tcase_add_test(tc_in, in_indices_wrap_at_2_32);
    tcase_add_test(tc_in, in_full_ring_is_read_whole);
    tcase_add_test(tc_in, in_hostile_prod_drops_everything);
    tcase_add_test(tc_in, output_ring_untouched);
    suite_add_tcase(s, tc_in);
    return s;
}
