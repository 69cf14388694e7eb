/*
 * aside: a posted job runs on the aside thread, not the caller's, while
 * the caller goes on; aside_wait gives each job's own result; stopping
 * waits for the job outstanding.
 */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "../../chaos/aside.h"
#include "unit.h"

struct probe {
    pthread_t ran_on;
    atomic_bool go;                     /* the caller lets the job end */
    int result;
};

static int job(void *arg)
{
    struct probe *p = arg;

    p->ran_on = pthread_self();
    while (!atomic_load(&p->go))
        ;
    return p->result;
}

START_TEST(test_job_runs_beside_the_caller)
{
    struct aside *a = aside_start();
    struct probe p = { .ran_on = pthread_self(), .result = 7 };

    ck_assert_ptr_nonnull(a);
    aside_post(a, job, &p);
    /* The job cannot end until this thread, still going, lets it. */
    atomic_store(&p.go, true);
    ck_assert_int_eq(aside_wait(a), 7);
    ck_assert(!pthread_equal(p.ran_on, pthread_self()));
    aside_stop(a);
}
END_TEST

START_TEST(test_each_result_its_own)
{
    struct aside *a = aside_start();
    struct probe p1 = { .result = 0 }, p2 = { .result = 28 };

    ck_assert_ptr_nonnull(a);
    atomic_store(&p1.go, true);
    atomic_store(&p2.go, true);
    aside_post(a, job, &p1);
    ck_assert_int_eq(aside_wait(a), 0);
    aside_post(a, job, &p2);
    ck_assert_int_eq(aside_wait(a), 28);
    ck_assert_int_eq(aside_wait(a), 28);        /* waiting again: no job */
    aside_stop(a);
}
END_TEST

START_TEST(test_stop_waits_for_the_job)
{
    struct aside *a = aside_start();
    struct probe p = { .ran_on = pthread_self(), .result = 1 };

    ck_assert_ptr_nonnull(a);
    atomic_store(&p.go, true);
    aside_post(a, job, &p);
    aside_stop(a);
    ck_assert(!pthread_equal(p.ran_on, pthread_self()));
    aside_stop(NULL);
}
END_TEST

Suite *aside_suite(void)
{
    Suite *s = suite_create("aside");
    TCase *tc = tcase_create("aside");

    tcase_add_test(tc, test_job_runs_beside_the_caller);
    tcase_add_test(tc, test_each_result_its_own);
    tcase_add_test(tc, test_stop_waits_for_the_job);
    suite_add_tcase(s, tc);
    return s;
}
