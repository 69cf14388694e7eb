/*
 * reaper: finishes destroys on a thread of its own. See reaper.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "reaper.h"

#define NONE UINT32_MAX                 /* no domid is this */

struct reaper {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    reaper_fn *reap;
    void *ctx;
    uint32_t *queue;                    /* queue[head .. n) wait, in order */
    size_t head, n, cap;
    uint32_t current;                   /* being reaped, or NONE */
    bool stopping;
};

static void *run(void *arg)
{
    struct reaper *r = arg;

    pthread_mutex_lock(&r->lock);
    for (;;) {
        while (r->head == r->n && !r->stopping)
            pthread_cond_wait(&r->wake, &r->lock);
        if (r->head == r->n)
            break;                      /* stopping, nothing left */
        r->current = r->queue[r->head++];
        if (r->head == r->n)
            r->head = r->n = 0;
        pthread_mutex_unlock(&r->lock);
        r->reap(r->ctx, r->current);
        pthread_mutex_lock(&r->lock);
        r->current = NONE;
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

struct reaper *reaper_start(reaper_fn *reap, void *ctx)
{
    struct reaper *r = calloc(1, sizeof(*r));
    int e;

    if (!r)
        return NULL;
    r->reap = reap;
    r->ctx = ctx;
    r->current = NONE;
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->wake, NULL);
    e = pthread_create(&r->thread, NULL, run, r);
    if (e) {
        pthread_cond_destroy(&r->wake);
        pthread_mutex_destroy(&r->lock);
        free(r);
        errno = e;
        return NULL;
    }
    return r;
}

int reaper_add(struct reaper *r, uint32_t domid)
{
    int rc = -1;

    pthread_mutex_lock(&r->lock);
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        uint32_t *q;

        if (r->head) {                  /* room at the front: slide down */
            memmove(r->queue, r->queue + r->head,
                    (r->n - r->head) * sizeof(*r->queue));
            r->n -= r->head;
            r->head = 0;
        } else if ((q = realloc(r->queue, cap * sizeof(*q)))) {
            r->queue = q;
            r->cap = cap;
        } else {
            errno = ENOMEM;
            goto out;
        }
    }
    r->queue[r->n++] = domid;
    pthread_cond_signal(&r->wake);
    rc = 0;
out:
    pthread_mutex_unlock(&r->lock);
    return rc;
}

bool reaper_has(struct reaper *r, uint32_t domid)
{
    bool has;

    pthread_mutex_lock(&r->lock);
    has = r->current == domid;
    for (size_t i = r->head; i < r->n && !has; i++)
        has = r->queue[i] == domid;
    pthread_mutex_unlock(&r->lock);
    return has;
}

void reaper_stop(struct reaper *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->lock);
    r->stopping = true;
    pthread_cond_signal(&r->wake);
    pthread_mutex_unlock(&r->lock);
    pthread_join(r->thread, NULL);
    pthread_cond_destroy(&r->wake);
    pthread_mutex_destroy(&r->lock);
    free(r->queue);
    free(r);
}
