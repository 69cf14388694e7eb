/*
 * fmt.c: the formatter declared in fmt.h.
 */
#include <stdbool.h>
#include <stdint.h>

#include "fmt.h"

struct sink {
    char *buf;
    size_t size;
    size_t len;         /* characters produced so far, stored or not */
};

static void put(struct sink *s, char c)
{
    if (s->len + 1 < s->size)
        s->buf[s->len] = c;
    s->len++;
}

static void pad(struct sink *s, char c, size_t n)
{
    while (n--)
        put(s, c);
}

struct spec {
    bool left;
    bool zero;
    size_t width;
};

/*
 * Emits prefix (a sign or "0x") and body into a field of spec->width.
 * Zero padding goes between the prefix and the body.
 */
static void field(struct sink *s, const struct spec *spec,
                  const char *prefix, size_t prefix_len,
                  const char *body, size_t body_len)
{
    size_t len = prefix_len + body_len;
    size_t fill = spec->width > len ? spec->width - len : 0;
    size_t i;

    if (!spec->left && !spec->zero)
        pad(s, ' ', fill);
    for (i = 0; i < prefix_len; i++)
        put(s, prefix[i]);
    if (!spec->left && spec->zero)
        pad(s, '0', fill);
    for (i = 0; i < body_len; i++)
        put(s, body[i]);
    if (spec->left)
        pad(s, ' ', fill);
}

/* Writes v in base 10 or 16 at the end of buf[24]; returns the start. */
static char *digits(char buf[24], unsigned long long v, unsigned base,
                    bool upper)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = buf + 24;

    do {
        *--p = set[v % base];
        v /= base;
    } while (v);
    return p;
}

static void number(struct sink *s, const struct spec *spec,
                   unsigned long long magnitude, bool negative,
                   unsigned base, bool upper, const char *prefix)
{
    char buf[24];
    char *p = digits(buf, magnitude, base, upper);
    size_t prefix_len = 0;

    if (negative)
        prefix = "-";
    if (prefix)
        while (prefix[prefix_len])
            prefix_len++;
    field(s, spec, prefix, prefix_len, p, (size_t)(buf + 24 - p));
}

enum length { LEN_INT, LEN_LONG, LEN_LLONG, LEN_SIZE };

static long long signed_arg(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_LONG:  return va_arg(*ap, long);
    case LEN_LLONG: return va_arg(*ap, long long);
    case LEN_SIZE:  return (long long)va_arg(*ap, size_t);
    default:        return va_arg(*ap, int);
    }
}

static unsigned long long unsigned_arg(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_LONG:  return va_arg(*ap, unsigned long);
    case LEN_LLONG: return va_arg(*ap, unsigned long long);
    case LEN_SIZE:  return va_arg(*ap, size_t);
    default:        return va_arg(*ap, unsigned int);
    }
}

size_t fmt_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sink s = { .buf = buf, .size = size, .len = 0 };
    va_list args;

    va_copy(args, ap);
    while (*fmt) {
        struct spec spec = { false, false, 0 };
        enum length len = LEN_INT;
        const char *start = fmt;

        if (*fmt != '%') {
            put(&s, *fmt++);
            continue;
        }
        fmt++;
        for (;; fmt++) {
            if (*fmt == '-')
                spec.left = true;
            else if (*fmt == '0')
                spec.zero = true;
            else
                break;
        }
        while (*fmt >= '0' && *fmt <= '9') {
            spec.width = spec.width * 10 + (size_t)(*fmt++ - '0');
            if (spec.width > FMT_MAX_WIDTH)
                spec.width = FMT_MAX_WIDTH;
        }
        if (*fmt == 'l') {
            fmt++;
            len = LEN_LONG;
            if (*fmt == 'l') {
                fmt++;
                len = LEN_LLONG;
            }
        } else if (*fmt == 'z') {
            fmt++;
            len = LEN_SIZE;
        }

        switch (*fmt) {
        case 'd':
        case 'i': {
            long long v = signed_arg(&args, len);
            unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v
                                         : (unsigned long long)v;

            number(&s, &spec, m, v < 0, 10, false, NULL);
            break;
        }
        case 'u':
            number(&s, &spec, unsigned_arg(&args, len), false, 10, false,
                   NULL);
            break;
        case 'x':
        case 'X':
            number(&s, &spec, unsigned_arg(&args, len), false, 16,
                   *fmt == 'X', NULL);
            break;
        case 'p':
            number(&s, &spec, (uintptr_t)va_arg(args, void *), false, 16,
                   false, "0x");
            break;
        case 'c': {
            char c = (char)va_arg(args, int);

            spec.zero = false;
            field(&s, &spec, NULL, 0, &c, 1);
            break;
        }
        case 's': {
            const char *str = va_arg(args, const char *);
            size_t n = 0;

            if (!str)
                str = "(null)";
            while (str[n])
                n++;
            spec.zero = false;
            field(&s, &spec, NULL, 0, str, n);
            break;
        }
        case '%':
            put(&s, '%');
            break;
        default:
            /* Unknown or truncated conversion: copy it through as text. */
            while (start < fmt)
                put(&s, *start++);
            if (*fmt)
                put(&s, *fmt);
            else
                continue;
            break;
        }
        fmt++;
    }
    va_end(args);

    if (size)
        buf[s.len < size ? s.len : size - 1] = '\0';
    return s.len;
}

size_t fmt_format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    n = fmt_vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
