/*
 * cmdline.c: the word matcher declared in cmdline.h.
 */
#include "cmdline.h"
#include "lib.h"

static bool is_separator(char c)
{
    return c == ' ' || c == '\t';
}

bool cmdline_has_word(const char *line, size_t max, const char *word)
{
    size_t wlen = strlen(word);
    size_t i = 0;

    if (wlen == 0)
        return false;
    while (i < max && line[i]) {
        size_t start;

        if (is_separator(line[i])) {
            i++;
            continue;
        }
        start = i;
        while (i < max && line[i] && !is_separator(line[i]))
            i++;
        if (i - start == wlen && memcmp(line + start, word, wlen) == 0)
            return true;
    }
    return false;
}
