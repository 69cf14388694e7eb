/*
 * timing: phase marks for CHAOS_TIMING=1. See timing.h.
 */
#include "timing.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_MARKS 64

struct mark {
    const char *what;
    long long at;               /* wall time, microseconds */
};

static _Thread_local struct mark marks[MAX_MARKS];
static _Thread_local int n_marks;
static _Thread_local long long last;

void timing_flush(void)
{
    for (int i = 0; i < n_marks; i++) {
        fprintf(stderr, "chaos: timing: %-55s +%6lld us (at %lld)\n",
                marks[i].what, last ? marks[i].at - last : 0, marks[i].at);
        last = marks[i].at;
    }
    n_marks = 0;
}

static void flush_at_exit(void)
{
    timing_flush();
}

void timing_mark(const char *what)
{
    static _Thread_local int enabled = -1;
    struct timespec ts;

    if (enabled < 0) {
        const char *e = getenv("CHAOS_TIMING");

        enabled = e && *e == '1';
        if (enabled)
            atexit(flush_at_exit);
    }
    /* Wall time, to compare with the shell's $EPOCHREALTIME. */
    if (!enabled || clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return;
    if (n_marks == MAX_MARKS)
        timing_flush();
    marks[n_marks++] = (struct mark){
        .what = what,
        .at = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000,
    };
}
