/*
 * aside: one job at a time on a thread of its own. See aside.h.
 */
#include "aside.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct aside {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;             /* a job came, ended, or stop */
    int (*job)(void *arg);              /* posted, not yet taken */
    void *arg;
    bool busy;                          /* posted and not yet finished */
    bool stopping;
    int result;                         /* of the job finished last */
};

static void *run(void *arg)
{
    struct aside *a = arg;

    pthread_mutex_lock(&a->lock);
    for (;;) {
        int (*job)(void *);
        void *job_arg;
        int r;

        while (!a->job && !a->stopping)
            pthread_cond_wait(&a->changed, &a->lock);
        if (!a->job)
            break;
        job = a->job;
        job_arg = a->arg;
        a->job = NULL;
        pthread_mutex_unlock(&a->lock);
        r = job(job_arg);
        pthread_mutex_lock(&a->lock);
        a->result = r;
        a->busy = false;
        pthread_cond_broadcast(&a->changed);
    }
    pthread_mutex_unlock(&a->lock);
    return NULL;
}

struct aside *aside_start(void)
{
    struct aside *a = calloc(1, sizeof(*a));
    int r;

    if (!a)
        return NULL;
    pthread_mutex_init(&a->lock, NULL);
    pthread_cond_init(&a->changed, NULL);
    r = pthread_create(&a->thread, NULL, run, a);
    if (r) {
        pthread_cond_destroy(&a->changed);
        pthread_mutex_destroy(&a->lock);
        free(a);
        errno = r;
        return NULL;
    }
    return a;
}

void aside_post(struct aside *a, int (*job)(void *arg), void *arg)
{
    pthread_mutex_lock(&a->lock);
    a->job = job;
    a->arg = arg;
    a->busy = true;
    pthread_cond_broadcast(&a->changed);
    pthread_mutex_unlock(&a->lock);
}

int aside_wait(struct aside *a)
{
    int r;

    pthread_mutex_lock(&a->lock);
    while (a->busy)
        pthread_cond_wait(&a->changed, &a->lock);
    r = a->result;
    pthread_mutex_unlock(&a->lock);
    return r;
}

void aside_stop(struct aside *a)
{
    if (!a)
        return;
    aside_wait(a);
    pthread_mutex_lock(&a->lock);
    a->stopping = true;
    pthread_cond_broadcast(&a->changed);
    pthread_mutex_unlock(&a->lock);
    pthread_join(a->thread, NULL);
    pthread_cond_destroy(&a->changed);
    pthread_mutex_destroy(&a->lock);
    free(a);
}
