/*
 * aside: a thread of its own that runs one job at a time beside its
 * caller, which goes on and later waits for the job's result. chaosd
 * writes a new guest's record aside while the guest's image boots: dom0
 * has a second CPU, and during a create it is idle.
 */
#ifndef CHAOS_ASIDE_H
#define CHAOS_ASIDE_H

struct aside;

/* Starts the thread. Returns NULL (errno set) when it cannot. */
struct aside *aside_start(void);

/* Has JOB(ARG) run on the thread. The caller posts only when no job of
 * its own is outstanding (every post is followed by aside_wait). */
void aside_post(struct aside *a, int (*job)(void *arg), void *arg);

/* Waits for the job posted last to finish and returns what it returned. */
int aside_wait(struct aside *a);

/* Waits for any outstanding job, stops the thread and frees A (NULL: no
 * effect). */
void aside_stop(struct aside *a);

#endif
