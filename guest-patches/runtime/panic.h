/*
 * panic.h: the runtime's way out on a fatal error.
 */
#ifndef CHAOS_RT_PANIC_H
#define CHAOS_RT_PANIC_H

/*
 * Prints "<guest_name>: <message>\n" on the console, waits (bounded) for
 * a connected console backend to read it, and shuts the domain down with
 * SHUTDOWN_crash. A panic raised while panicking skips the printing.
 */
_Noreturn void panic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
