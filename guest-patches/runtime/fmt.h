/*
 * fmt.h: a small printf-like formatter into a caller's buffer. Pure.
 *
 * Conversions: %d %i %u %x %X %c %s %p %%, with the length modifiers l, ll
 * and z on the integer ones, the flags '-' (left-justify) and '0' (pad
 * numbers with zeros) and a decimal field width (at most FMT_MAX_WIDTH).
 * %p prints 0x and the address in hex; %s of NULL prints "(null)". An
 * unknown conversion is copied through literally. No precision, no floats.
 */
#ifndef CHAOS_RT_FMT_H
#define CHAOS_RT_FMT_H

#include <stdarg.h>
#include <stddef.h>

#define FMT_MAX_WIDTH 256

/*
 * Formats into buf, writing at most size bytes including the terminating
 * NUL: the output is truncated to size - 1 characters and always
 * NUL-terminated when size > 0 (buf may be NULL when size is 0).
 * Returns the length the complete output has, like C's vsnprintf, so
 * a return value >= size means the output was truncated.
 */
size_t fmt_vformat(char *buf, size_t size, const char *fmt, va_list ap);

/* fmt_vformat with the arguments inline. */
size_t fmt_format(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
