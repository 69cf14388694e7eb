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
    return s;
}
