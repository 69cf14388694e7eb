/*
 * test_cmdline.c: whole-word matching over a bounded command line.
 */
#include <string.h>

#include "cmdline.h"
#include "unit.h"

static bool has(const char *line, const char *word)
{
    return cmdline_has_word(line, strlen(line) + 1, word);
}

START_TEST(matches_only_word)
{
    ck_assert(has("poweroff", "poweroff"));
}
END_TEST

START_TEST(matches_first_middle_last)
{
    ck_assert(has("poweroff a b", "poweroff"));
    ck_assert(has("a poweroff b", "poweroff"));
    ck_assert(has("a b poweroff", "poweroff"));
    ck_assert(has("a b crash", "crash"));
}
END_TEST

START_TEST(respects_word_boundaries)
{
    ck_assert(!has("poweroffx", "poweroff"));
    ck_assert(!has("xpoweroff", "poweroff"));
    ck_assert(!has("power off", "poweroff"));
    ck_assert(!has("a poweroff_now b", "poweroff"));
    ck_assert(!has("poweroff", "power"));
    ck_assert(!has("poweroff", "off"));
}
END_TEST

START_TEST(separators_are_spaces_and_tabs)
{
    ck_assert(has("  \tcrash\t ", "crash"));
    ck_assert(has("a\tcrash", "crash"));
    ck_assert(has("a   crash   b", "crash"));
}
END_TEST

START_TEST(empty_line_and_empty_word)
{
    ck_assert(!has("", "crash"));
    ck_assert(!has("   ", "crash"));
    ck_assert(!has("a b", ""));
    ck_assert(!has("", ""));
}
END_TEST

START_TEST(unterminated_buffer_bounded_by_max)
{
    /* Exactly "poweroff", no NUL anywhere in the array. */
    const char line[8] = { 'p', 'o', 'w', 'e', 'r', 'o', 'f', 'f' };

    ck_assert(cmdline_has_word(line, sizeof(line), "poweroff"));
    ck_assert(!cmdline_has_word(line, sizeof(line) - 1, "poweroff"));
    ck_assert(cmdline_has_word(line, sizeof(line) - 3, "power"));
}
END_TEST

START_TEST(bytes_beyond_max_are_not_read)
{
    const char line[] = "crash poweroff";

    ck_assert(cmdline_has_word(line, 5, "crash"));
    ck_assert(!cmdline_has_word(line, 5, "poweroff"));
    ck_assert(!cmdline_has_word(line, 13, "poweroff"));
    ck_assert(cmdline_has_word(line, 14, "poweroff"));
    ck_assert(!cmdline_has_word(line, 0, "crash"));
}
END_TEST

START_TEST(stops_at_nul_before_max)
{
    const char line[] = "crash\0poweroff";

    ck_assert(cmdline_has_word(line, sizeof(line), "crash"));
    ck_assert(!cmdline_has_word(line, sizeof(line), "poweroff"));
}
END_TEST

static bool value(const char *line, const char *key, char *out, size_t n)
{
    return cmdline_value(line, strlen(line) + 1, key, out, n);
}

START_TEST(value_of_key)
{
    char v[32];

    ck_assert(value("ip=10.0.0.2", "ip", v, sizeof(v)));
    ck_assert_str_eq(v, "10.0.0.2");
    ck_assert(value("echo ip=1.2.3.4 x", "ip", v, sizeof(v)));
    ck_assert_str_eq(v, "1.2.3.4");
    ck_assert(value("ip= b", "ip", v, sizeof(v)));
    ck_assert_str_eq(v, "");
    ck_assert(value("ip=a ip=b", "ip", v, sizeof(v)));
    ck_assert_str_eq(v, "a");
    ck_assert(value("ip=a=b", "ip", v, sizeof(v)));
    ck_assert_str_eq(v, "a=b");
}
END_TEST

START_TEST(value_needs_the_whole_key)
{
    char v[8] = "x";

    ck_assert(!value("xip=1 ipx=2 ip", "ip", v, sizeof(v)));
    ck_assert_str_eq(v, "");
    ck_assert(!value("ip=1", "", v, sizeof(v)));
    ck_assert(!value("", "ip", v, sizeof(v)));
}
END_TEST

START_TEST(value_too_long_or_beyond_max)
{
    const char line[] = "ip=12345678 gw=1";
    char v[8];

    ck_assert(!cmdline_value(line, sizeof(line), "ip", v, sizeof(v)));
    ck_assert_str_eq(v, "");
    ck_assert(cmdline_value(line, 6, "ip", v, sizeof(v)));
    ck_assert_str_eq(v, "123");
    ck_assert(!cmdline_value(line, 14, "gw", v, sizeof(v)));
    ck_assert(!cmdline_value(line, sizeof(line), "ip", v, 0));
}
END_TEST

Suite *cmdline_suite(void)
{
    Suite *s = suite_create("cmdline");
    TCase *tc = tcase_create("has_word");

    tcase_add_test(tc, matches_only_word);
    tcase_add_test(tc, matches_first_middle_last);
    tcase_add_test(tc, respects_word_boundaries);
    tcase_add_test(tc, separators_are_spaces_and_tabs);
    tcase_add_test(tc, empty_line_and_empty_word);
    tcase_add_test(tc, unterminated_buffer_bounded_by_max);
    tcase_add_test(tc, bytes_beyond_max_are_not_read);
    tcase_add_test(tc, stops_at_nul_before_max);
    suite_add_tcase(s, tc);
    tc = tcase_create("value");
    tcase_add_test(tc, value_of_key);
    tcase_add_test(tc, value_needs_the_whole_key);
    tcase_add_test(tc, value_too_long_or_beyond_max);
    suite_add_tcase(s, tc);
    return s;
}
