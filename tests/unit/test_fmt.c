/*
 * test_fmt.c: the formatter's conversions, field widths, truncation and
 * termination.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "fmt.h"
#include "unit.h"

/*
 * fmt_format without the printf format attribute: lets the tests pass the
 * formats that gcc's -Wformat rejects but fmt.h defines (unknown
 * conversions, '0' with %s and %p).
 */
static size_t format_unchecked(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    n = fmt_vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

#define CHECK_WITH(fn, expect, ...)                                 \
    do {                                                            \
        char buf_[512];                                             \
        size_t n_ = fn(buf_, sizeof(buf_), __VA_ARGS__);            \
        ck_assert_str_eq(buf_, expect);                             \
        ck_assert_uint_eq(n_, strlen(expect));                      \
    } while (0)

#define CHECK_FMT(expect, ...) CHECK_WITH(fmt_format, expect, __VA_ARGS__)
#define CHECK_RAW(expect, ...) \
    CHECK_WITH(format_unchecked, expect, __VA_ARGS__)

START_TEST(plain_text_and_percent)
{
    CHECK_FMT("", "%s", "");
    CHECK_FMT("hello", "hello");
    CHECK_FMT("100%", "100%%");
    CHECK_FMT("%%", "%%%%");
}
END_TEST

START_TEST(signed_decimal)
{
    CHECK_FMT("0", "%d", 0);
    CHECK_FMT("42", "%d", 42);
    CHECK_FMT("-42", "%i", -42);
    CHECK_FMT("-2147483648", "%d", INT_MIN);
    CHECK_FMT("2147483647", "%d", INT_MAX);
    CHECK_FMT("-9223372036854775808", "%ld", LONG_MIN);
    CHECK_FMT("9223372036854775807", "%lld", LLONG_MAX);
    CHECK_RAW("-1", "%zd", (size_t)-1);
}
END_TEST

START_TEST(unsigned_decimal)
{
    CHECK_FMT("4294967295", "%u", UINT_MAX);
    CHECK_FMT("18446744073709551615", "%lu", ULONG_MAX);
    CHECK_FMT("18446744073709551615", "%llu", ULLONG_MAX);
    CHECK_FMT("12345", "%zu", (size_t)12345);
    /* Without l, only an unsigned int is taken from the arguments. */
    CHECK_FMT("7 8", "%u %u", 7u, 8u);
}
END_TEST

START_TEST(hexadecimal)
{
    CHECK_FMT("0", "%x", 0u);
    CHECK_FMT("deadbeef", "%x", 0xdeadbeefu);
    CHECK_FMT("DEADBEEF", "%X", 0xdeadbeefu);
    CHECK_FMT("ffffffffffffffff", "%lx", ULONG_MAX);
    CHECK_FMT("ffff800000000000", "%lx", 0xffff800000000000UL);
}
END_TEST

START_TEST(pointer_char_string)
{
    CHECK_FMT("0x1234", "%p", (void *)(uintptr_t)0x1234);
    CHECK_FMT("0x0", "%p", (void *)NULL);
    CHECK_FMT("x", "%c", 'x');
    CHECK_FMT("a-b", "%c-%c", 'a', 'b');
    CHECK_FMT("abc", "%s", "abc");
    CHECK_RAW("(null)", "%s", (char *)NULL);
    CHECK_FMT("noop: up (domid 7)\n", "%s: up (domid %u)\n", "noop", 7u);
}
END_TEST

START_TEST(field_width)
{
    CHECK_FMT("   42", "%5d", 42);
    CHECK_FMT("42   |", "%-5d|", 42);
    CHECK_FMT("00042", "%05d", 42);
    CHECK_FMT("-0042", "%05d", -42);
    CHECK_FMT("  -42", "%5d", -42);
    CHECK_FMT("0000beef", "%08lx", 0xbeefUL);
    CHECK_RAW("0x00ff", "%06p", (void *)(uintptr_t)0xff);
    CHECK_FMT("    ab", "%6s", "ab");
    CHECK_FMT("ab    |", "%-6s|", "ab");
    CHECK_RAW("    ab", "%06s", "ab");
    CHECK_FMT("  c", "%3c", 'c');
    CHECK_FMT("123456", "%3d", 123456);
}
END_TEST

START_TEST(width_is_clamped)
{
    char buf[1024];
    size_t n = fmt_format(buf, sizeof(buf), "%1000d", 1);

    ck_assert_uint_eq(n, FMT_MAX_WIDTH);
    ck_assert_uint_eq(strlen(buf), FMT_MAX_WIDTH);
    ck_assert_int_eq(buf[FMT_MAX_WIDTH - 1], '1');
}
END_TEST

START_TEST(unknown_conversion_copied)
{
    CHECK_RAW("%q", "%q");
    CHECK_RAW("a%5qb", "a%5qb");
    CHECK_RAW("%", "%");
    CHECK_RAW("x%-0", "x%-0");
}
END_TEST

START_TEST(truncates_and_terminates)
{
    char buf[8];
    size_t n;

    memset(buf, 'Z', sizeof(buf));
    n = fmt_format(buf, 5, "hello world");
    ck_assert_uint_eq(n, 11);
    ck_assert_str_eq(buf, "hell");
    ck_assert_int_eq(buf[5], 'Z');

    memset(buf, 'Z', sizeof(buf));
    n = fmt_format(buf, 4, "%d", -123456);
    ck_assert_uint_eq(n, 7);
    ck_assert_str_eq(buf, "-12");
    ck_assert_int_eq(buf[4], 'Z');

    memset(buf, 'Z', sizeof(buf));
    n = fmt_format(buf, 1, "abc");
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(buf[0], '\0');
    ck_assert_int_eq(buf[1], 'Z');

    memset(buf, 'Z', sizeof(buf));
    n = fmt_format(buf, 6, "%s", "abcde");
    ck_assert_uint_eq(n, 5);
    ck_assert_str_eq(buf, "abcde");
}
END_TEST

START_TEST(size_zero_writes_nothing)
{
    char buf[4] = { 'Z', 'Z', 'Z', 'Z' };

    ck_assert_uint_eq(fmt_format(NULL, 0, "%s=%d", "x", 10), 4);
    ck_assert_uint_eq(fmt_format(buf, 0, "abc"), 3);
    ck_assert_int_eq(buf[0], 'Z');
}
END_TEST

Suite *fmt_suite(void)
{
    Suite *s = suite_create("fmt");
    TCase *conv = tcase_create("conversions");
    TCase *limits = tcase_create("limits");

    tcase_add_test(conv, plain_text_and_percent);
    tcase_add_test(conv, signed_decimal);
    tcase_add_test(conv, unsigned_decimal);
    tcase_add_test(conv, hexadecimal);
    tcase_add_test(conv, pointer_char_string);
    tcase_add_test(conv, field_width);
    tcase_add_test(conv, unknown_conversion_copied);
    tcase_add_test(limits, width_is_clamped);
    tcase_add_test(limits, truncates_and_terminates);
    tcase_add_test(limits, size_zero_writes_nothing);
    suite_add_tcase(s, conv);
    suite_add_tcase(s, limits);
    return s;
}
