/*
 * timing: with CHAOS_TIMING=1 in the environment, timing_mark(WHAT)
 * notes the wall time, and timing_flush() (or the process's exit) prints
 * on stderr, for each mark since the last flush, the microseconds since
 * the previous mark and the wall time in microseconds. Marks are kept in
 * memory until then, so that printing them does not slow the phases they
 * time. Without CHAOS_TIMING both cost one branch. For finding where a
 * command spends its time in the emulated test host. Per thread.
 */
#ifndef CHAOS_TIMING_H
#define CHAOS_TIMING_H

void timing_mark(const char *what);
void timing_flush(void);

#endif
