/*
 * test_gnttab_table.c: grant reference allocation, entry publication and
 * revocation on a plain array standing in for the shared grant table.
 */
#include <string.h>

#include "gnttab_table.h"
#include "unit.h"

#define NR 16

static grant_entry_v1_t entries[NR];
static unsigned long used[GNTTAB_USED_LONGS(NR)];
static struct gnttab_table t;

static void setup(void)
{
    memset(entries, 0, sizeof(entries));
    gnttab_table_init(&t, entries, NR, used);
}

START_TEST(first_grant_skips_reserved_refs)
{
    grant_ref_t ref = 0;

    ck_assert_int_eq(gnttab_table_grant(&t, 5, 0x1234, false, &ref), 0);
    ck_assert_uint_eq(ref, GNTTAB_NR_RESERVED_ENTRIES);
}
END_TEST

START_TEST(grant_publishes_entry)
{
    grant_ref_t rw, ro;

    ck_assert_int_eq(gnttab_table_grant(&t, 5, 0x1234, false, &rw), 0);
    ck_assert_uint_eq(entries[rw].domid, 5);
    ck_assert_uint_eq(entries[rw].frame, 0x1234);
    ck_assert_uint_eq(entries[rw].flags, GTF_permit_access);

    ck_assert_int_eq(gnttab_table_grant(&t, 0, 0xabcdef, true, &ro), 0);
    ck_assert_uint_ne(ro, rw);
    ck_assert_uint_eq(entries[ro].domid, 0);
    ck_assert_uint_eq(entries[ro].frame, 0xabcdef);
    ck_assert_uint_eq(entries[ro].flags, GTF_permit_access | GTF_readonly);
}
END_TEST

START_TEST(reserved_entries_untouched)
{
    grant_ref_t ref;
    unsigned int i;

    /* As seeded by the toolstack for console and xenstore. */
    entries[0] = (grant_entry_v1_t){ GTF_permit_access, 0, 111 };
    entries[1] = (grant_entry_v1_t){ GTF_permit_access, 0, 222 };
    gnttab_table_init(&t, entries, NR, used);
    while (gnttab_table_grant(&t, 1, 42, false, &ref) == 0)
        ;
    ck_assert_uint_eq(entries[0].frame, 111);
    ck_assert_uint_eq(entries[1].frame, 222);
    for (i = 2; i < GNTTAB_NR_RESERVED_ENTRIES; i++)
        ck_assert_uint_eq(entries[i].flags, 0);
    for (i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++)
        ck_assert_int_eq(gnttab_table_end(&t, i), -XEN_EINVAL);
    ck_assert_uint_eq(entries[0].flags, GTF_permit_access);
}
END_TEST

START_TEST(allocates_lowest_free_until_full)
{
    grant_ref_t ref;
    unsigned int i;

    for (i = GNTTAB_NR_RESERVED_ENTRIES; i < NR; i++) {
        ck_assert_int_eq(gnttab_table_grant(&t, 1, i, false, &ref), 0);
        ck_assert_uint_eq(ref, i);
    }
    ck_assert_int_eq(gnttab_table_grant(&t, 1, 99, false, &ref),
                     -XEN_ENOSPC);
}
END_TEST

START_TEST(end_revokes_and_frees)
{
    grant_ref_t a, b, again;

    gnttab_table_grant(&t, 3, 0x10, false, &a);
    gnttab_table_grant(&t, 3, 0x11, false, &b);
    ck_assert_int_eq(gnttab_table_end(&t, a), 0);
    ck_assert_uint_eq(entries[a].flags, 0);
    ck_assert_uint_eq(entries[b].flags, GTF_permit_access);

    /* The freed reference is handed out again, with the new contents. */
    ck_assert_int_eq(gnttab_table_grant(&t, 4, 0x20, true, &again), 0);
    ck_assert_uint_eq(again, a);
    ck_assert_uint_eq(entries[a].domid, 4);
    ck_assert_uint_eq(entries[a].frame, 0x20);
    ck_assert_uint_eq(entries[a].flags, GTF_permit_access | GTF_readonly);
}
END_TEST

static void check_busy_while(uint16_t in_use)
{
    grant_ref_t ref, next;
    uint16_t granted;

    gnttab_table_grant(&t, 3, 0x10, false, &ref);
    granted = entries[ref].flags;
    entries[ref].flags |= in_use;    /* as Xen does while mapped */

    ck_assert_int_eq(gnttab_table_end(&t, ref), -XEN_EBUSY);
    ck_assert_uint_eq(entries[ref].flags, granted | in_use);
    /* Still handed out: not reused. */
    ck_assert_int_eq(gnttab_table_grant(&t, 3, 0x11, false, &next), 0);
    ck_assert_uint_ne(next, ref);

    entries[ref].flags &= (uint16_t)~in_use;   /* the grantee unmapped */
    ck_assert_int_eq(gnttab_table_end(&t, ref), 0);
    ck_assert_uint_eq(entries[ref].flags, 0);
}

START_TEST(end_refused_while_reading)
{
    check_busy_while(GTF_reading);
}
END_TEST

START_TEST(end_refused_while_writing)
{
    check_busy_while(GTF_writing);
}
END_TEST

START_TEST(end_rejects_bad_refs)
{
    grant_ref_t ref;

    ck_assert_int_eq(gnttab_table_end(&t, NR), -XEN_EINVAL);
    ck_assert_int_eq(gnttab_table_end(&t, 0xffffffff), -XEN_EINVAL);
    ck_assert_int_eq(gnttab_table_end(&t, GNTTAB_NR_RESERVED_ENTRIES),
                     -XEN_EINVAL);
    gnttab_table_grant(&t, 1, 1, false, &ref);
    ck_assert_int_eq(gnttab_table_end(&t, ref), 0);
    ck_assert_int_eq(gnttab_table_end(&t, ref), -XEN_EINVAL);
}
END_TEST

START_TEST(bitmap_beyond_one_word)
{
    enum { BIG = 70 };
    static grant_entry_v1_t big[BIG];
    static unsigned long big_used[GNTTAB_USED_LONGS(BIG)];
    struct gnttab_table bt;
    grant_ref_t ref = 0;
    unsigned int n = 0;

    ck_assert_uint_eq(GNTTAB_USED_LONGS(BIG), 2);
    gnttab_table_init(&bt, big, BIG, big_used);
    while (gnttab_table_grant(&bt, 1, 7, false, &ref) == 0)
        n++;
    ck_assert_uint_eq(n, BIG - GNTTAB_NR_RESERVED_ENTRIES);
    ck_assert_int_eq(gnttab_table_end(&bt, 69), 0);
    ck_assert_int_eq(gnttab_table_end(&bt, 64), 0);
    ck_assert_int_eq(gnttab_table_grant(&bt, 1, 7, false, &ref), 0);
    ck_assert_uint_eq(ref, 64);
    ck_assert_int_eq(gnttab_table_grant(&bt, 1, 7, false, &ref), 0);
    ck_assert_uint_eq(ref, 69);
}
END_TEST

Suite *gnttab_table_suite(void)
{
    Suite *s = suite_create("gnttab_table");
    TCase *tc = tcase_create("entries");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, first_grant_skips_reserved_refs);
    tcase_add_test(tc, grant_publishes_entry);
    tcase_add_test(tc, reserved_entries_untouched);
    tcase_add_test(tc, allocates_lowest_free_until_full);
    tcase_add_test(tc, end_revokes_and_frees);
    tcase_add_test(tc, end_refused_while_reading);
    tcase_add_test(tc, end_refused_while_writing);
    tcase_add_test(tc, end_rejects_bad_refs);
    tcase_add_test(tc, bitmap_beyond_one_word);
    suite_add_tcase(s, tc);
    return s;
}
