/*
 * daemonlog: the daemons' log. See daemonlog.h.
 */
#include "daemonlog.h"

#include <stdarg.h>
#include <syslog.h>
#include <sys/types.h>

static FILE *log_stream;

static ssize_t syslog_write(void *cookie, const char *data, size_t len)
{
    (void)cookie;
    syslog(LOG_NOTICE, "%.*s",
           (int)(len && data[len - 1] == '\n' ? len - 1 : len), data);
    return (ssize_t)len;
}

void daemonlog_open(const char *ident, bool use_syslog)
{
    log_stream = stderr;
    if (use_syslog) {
        cookie_io_functions_t io = { .write = syslog_write };
        FILE *f;

        openlog(ident, LOG_PID, LOG_DAEMON);
        f = fopencookie(NULL, "w", io);
        if (f) {
            setvbuf(f, NULL, _IOLBF, 0);
            log_stream = f;
        }
    }
}

FILE *daemonlog_stream(void)
{
    return log_stream ? log_stream : stderr;
}

void say(const char *fmt, ...)
{
    FILE *f = daemonlog_stream();
    va_list ap;

    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fflush(f);
}
