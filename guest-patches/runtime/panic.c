/*
 * panic.c: fatal error exit, declared in panic.h.
 */
#include <stdarg.h>

#include "console.h"
#include "fmt.h"
#include "panic.h"
#include "runtime.h"
#include "schedop.h"
#include "time.h"

_Noreturn void panic(const char *fmt, ...)
{
    static bool panicking;
    char msg[200];
    va_list ap;

    if (!panicking) {
        panicking = true;
        va_start(ap, fmt);
        fmt_vformat(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        console_printf("%s: %s\n", guest_name, msg);
        console_flush(CONSOLE_STALL_NS);
    }
    sched_shutdown(SHUTDOWN_crash);
}
