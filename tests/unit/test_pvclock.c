/*
 * test_pvclock.c: TSC-to-ns scaling and the versioned read of Xen's
 * vcpu_time_info record, with a fake TSC.
 */
#include <string.h>

#include "pvclock.h"
#include "unit.h"

static struct vcpu_time_info rec;
static uint64_t fake_tsc;
static unsigned int tsc_reads;
/* Called with the index of each TSC read: plays Xen updating rec. */
static void (*on_read)(unsigned int index);

static uint64_t read_fake_tsc(void)
{
    if (on_read)
        on_read(tsc_reads);
    tsc_reads++;
    return fake_tsc;
}

/* rec starts mid-update (odd version); Xen finishes before read 0 ends. */
static void finish_update_at_first_read(unsigned int index)
{
    if (index == 0) {
        rec.system_time = 7000;
        rec.version++;
    }
}

/* A whole update (version += 2) lands between two reads of version. */
static void whole_update_at_first_read(unsigned int index)
{
    if (index == 0) {
        rec.system_time = 9000;
        rec.tsc_timestamp = 500;
        rec.version += 2;
    }
}

/*
 * rec stays mid-update (odd version, torn values) through read 0 and Xen
 * finishes it only during read 1.
 */
static void finish_update_at_second_read(unsigned int index)
{
    if (index == 1) {
        rec.system_time = 8000;
        rec.version++;
    }
}

static void setup(void)
{
    memset(&rec, 0, sizeof(rec));
    rec.version = 2;
    rec.tsc_timestamp = 1000;
    rec.system_time = 5000000000ULL;
    rec.tsc_to_system_mul = 0x80000000u;    /* 0.5 ns per tick */
    rec.tsc_shift = 0;
    fake_tsc = 3000;
    tsc_reads = 0;
    on_read = NULL;
}

START_TEST(scale_fixed_point)
{
    ck_assert_uint_eq(pvclock_scale(1000, 0x80000000u, 0), 500);
    ck_assert_uint_eq(pvclock_scale(1000, 0x80000000u, 1), 1000);
    ck_assert_uint_eq(pvclock_scale(1000, 0x80000000u, -1), 250);
    ck_assert_uint_eq(pvclock_scale(1000, 0x40000000u, 2), 1000);
    ck_assert_uint_eq(pvclock_scale(0, 0xffffffffu, 3), 0);
}
END_TEST

START_TEST(scale_does_not_overflow_64_bits)
{
    /* delta * mul needs 72 bits here. */
    ck_assert_uint_eq(pvclock_scale(1ULL << 40, 0xffffffffu, 0),
                      (1ULL << 40) - (1ULL << 8));
}
END_TEST

START_TEST(scale_realistic_3ghz)
{
    /* A 3 GHz TSC: Xen picks shift -1 and mul = 2/3 * 2^32 roughly. */
    uint32_t mul = (uint32_t)((1000000000ULL << 33) / 3000000000ULL);
    uint64_t ns = pvclock_scale(3000000000ULL, mul, -1);

    ck_assert_uint_le(ns, 1000000000ULL);
    ck_assert_uint_ge(ns, 1000000000ULL - 1);
}
END_TEST

START_TEST(read_extrapolates_from_stamp)
{
    ck_assert_uint_eq(pvclock_read(&rec, read_fake_tsc),
                      5000000000ULL + 1000);
    ck_assert_uint_eq(tsc_reads, 1);
}
END_TEST

START_TEST(read_tsc_before_stamp_counts_as_zero)
{
    fake_tsc = 999;
    ck_assert_uint_eq(pvclock_read(&rec, read_fake_tsc), 5000000000ULL);
}
END_TEST

START_TEST(read_retries_while_version_odd)
{
    rec.version = 3;
    on_read = finish_update_at_first_read;
    ck_assert_uint_eq(pvclock_read(&rec, read_fake_tsc), 7000 + 1000);
    ck_assert_uint_eq(tsc_reads, 2);
}
END_TEST

START_TEST(read_never_accepts_an_odd_version)
{
    rec.version = 3;
    rec.system_time = 1;            /* torn */
    on_read = finish_update_at_second_read;
    ck_assert_uint_eq(pvclock_read(&rec, read_fake_tsc), 8000 + 1000);
    ck_assert_uint_eq(tsc_reads, 3);
}
END_TEST

START_TEST(read_retries_when_version_changes)
{
    on_read = whole_update_at_first_read;
    ck_assert_uint_eq(pvclock_read(&rec, read_fake_tsc), 9000 + 1250);
    ck_assert_uint_eq(tsc_reads, 2);
}
END_TEST

Suite *pvclock_suite(void)
{
    Suite *s = suite_create("pvclock");
    TCase *scale = tcase_create("scale");
    TCase *read = tcase_create("read");

    tcase_add_test(scale, scale_fixed_point);
    tcase_add_test(scale, scale_does_not_overflow_64_bits);
    tcase_add_test(scale, scale_realistic_3ghz);
    tcase_add_checked_fixture(read, setup, NULL);
    tcase_add_test(read, read_extrapolates_from_stamp);
    tcase_add_test(read, read_tsc_before_stamp_counts_as_zero);
    tcase_add_test(read, read_retries_while_version_odd);
    tcase_add_test(read, read_never_accepts_an_odd_version);
    tcase_add_test(read, read_retries_when_version_changes);
    suite_add_tcase(s, scale);
    suite_add_tcase(s, read);
    return s;
}
