/*
 * daemonlog: where chaos's daemons (chaosd, xendevd) write their log:
 * stderr until daemonlog_open chooses, then stderr or syslog, one line
 * per message.
 */
#ifndef CHAOS_DAEMONLOG_H
#define CHAOS_DAEMONLOG_H

#include <stdbool.h>
#include <stdio.h>

/* daemonlog_open: with USE_SYSLOG, lines go to syslog as IDENT (facility
 * daemon, level notice); otherwise, or if that cannot be set up, to
 * stderr. */
void daemonlog_open(const char *ident, bool use_syslog);

/* daemonlog_stream: the stream behind say(), for code that reports to a
 * FILE *. Flushed line by line. */
FILE *daemonlog_stream(void);

/* say: writes one message (ending with a newline) to the log. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
