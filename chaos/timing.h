/*
 * timing: with CHAOS_TIMING=1 in the environment, timing_mark(WHAT)
 * prints on stderr the microseconds since the previous mark and the wall
 * time in microseconds; otherwise it costs one branch. For finding where a command
 * spends its time in the emulated test host.
 */
#ifndef CHAOS_TIMING_H
#define CHAOS_TIMING_H

void timing_mark(const char *what);

#endif
