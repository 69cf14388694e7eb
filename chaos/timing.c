/*
 * timing: phase marks for CHAOS_TIMING=1. See timing.h.
 */
#include "timing.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void timing_mark(const char *what)
{
    static _Thread_local int enabled = -1;
    static _Thread_local long long last;
    struct timespec ts;
    long long now;

    if (enabled < 0) {
        const char *e = getenv("CHAOS_TIMING");

        enabled = e && *e == '1';
    }
    /* Wall time, to compare with the shell's $EPOCHREALTIME. */
    if (!enabled || clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return;
    now = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    fprintf(stderr, "chaos: timing: %-55s +%6lld us (at %lld)\n", what,
            last ? now - last : 0, now);
    last = now;
}
