/*
 * test_reaper.c: chaosd's reaper thread (chaos/reaper.c) reaps every
 * domain added, one at a time, in the order added; reaper_has knows the
 * queued one and the one being reaped, and forgets it once reaped;
 * reaper_stop reaps what is still queued before it returns.
 *
 * The reap function here stands in for ts_destroy_finish: it records the
 * domid and, while the test holds the gate, waits for a token per domain.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../chaos/reaper.h"
#include "unit.h"

#define MAX_REAPED 256

struct gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool held;                  /* reaps wait for tokens */
    unsigned tokens;
    unsigned started;           /* reaps begun */
    uint32_t reaped[MAX_REAPED];
    unsigned n_reaped;          /* reaps done */
};

static void gate_init(struct gate *g, bool held)
{
    *g = (struct gate){ .held = held };
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->cond, NULL);
}

static void reap(void *ctx, uint32_t domid)
{
    struct gate *g = ctx;

    pthread_mutex_lock(&g->lock);
    g->started++;
    pthread_cond_broadcast(&g->cond);
    while (g->held && !g->tokens)
        pthread_cond_wait(&g->cond, &g->lock);
    if (g->held)
        g->tokens--;
    if (g->n_reaped < MAX_REAPED)
        g->reaped[g->n_reaped] = domid;
    g->n_reaped++;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

/* Waits until N reaps have begun. */
static void wait_started(struct gate *g, unsigned n)
{
    pthread_mutex_lock(&g->lock);
    while (g->started < n)
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
}

static void give(struct gate *g, unsigned tokens)
{
    pthread_mutex_lock(&g->lock);
    g->tokens += tokens;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

static void release(struct gate *g)
{
    pthread_mutex_lock(&g->lock);
    g->held = false;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

START_TEST(test_reaps_in_order_and_knows_what_it_holds)
{
    struct gate g;
    struct reaper *r;

    gate_init(&g, true);
    r = reaper_start(reap, &g);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(reaper_add(r, 100), 0);
    wait_started(&g, 1);                        /* 100 is being reaped */
    for (uint32_t d = 101; d <= 116; d++)       /* fills the first 16 */
        ck_assert_int_eq(reaper_add(r, d), 0);
    ck_assert(reaper_has(r, 100));
    ck_assert(reaper_has(r, 116));
    ck_assert(!reaper_has(r, 117));
    give(&g, 1);
    wait_started(&g, 2);                        /* 101 taken: room ahead */
    ck_assert(!reaper_has(r, 100));
    ck_assert_int_eq(reaper_add(r, 117), 0);    /* slides the queue */
    for (uint32_t d = 118; d < 150; d++)        /* then grows it */
        ck_assert_int_eq(reaper_add(r, d), 0);
    ck_assert(reaper_has(r, 101) && reaper_has(r, 149));
    release(&g);
    reaper_stop(r);
    ck_assert_uint_eq(g.n_reaped, 50);
    for (unsigned i = 0; i < 50; i++)
        ck_assert_uint_eq(g.reaped[i], 100 + i);
}
END_TEST

START_TEST(test_stop_reaps_what_is_queued)
{
    struct gate g;
    struct reaper *r;

    gate_init(&g, false);
    r = reaper_start(reap, &g);
    ck_assert_ptr_nonnull(r);
    for (uint32_t d = 1; d <= 200; d++)
        ck_assert_int_eq(reaper_add(r, d), 0);
    reaper_stop(r);
    ck_assert_uint_eq(g.n_reaped, 200);
    for (unsigned i = 0; i < 200; i++)
        ck_assert_uint_eq(g.reaped[i], i + 1);
    reaper_stop(NULL);
}
END_TEST

Suite *reaper_suite(void)
{
    Suite *s = suite_create("reaper");
    TCase *tc = tcase_create("reaper");

    tcase_add_test(tc, test_reaps_in_order_and_knows_what_it_holds);
    tcase_add_test(tc, test_stop_reaps_what_is_queued);
    suite_add_tcase(s, tc);
    return s;
}
