/*
 * cmdline.h: word matching over a guest command line. Pure.
 */
#ifndef CHAOS_RT_CMDLINE_H
#define CHAOS_RT_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * True if word appears in line as a whole word. line is read up to its
 * first NUL or up to max bytes, whichever comes first: start_info's
 * cmd_line is a fixed array that need not be NUL-terminated. Words are
 * separated by spaces and tabs. An empty word never matches.
 */
bool cmdline_has_word(const char *line, size_t max, const char *word);

/*
 * Finds the first word KEY=VALUE in line (read as cmdline_has_word reads
 * it) and copies VALUE into out, NUL-terminated. Returns false when there
 * is no such word, key is empty, or VALUE does not fit in out_len - 1
 * bytes (out is then the empty string, if out_len > 0).
 */
bool cmdline_value(const char *line, size_t max, const char *key, char *out,
                   size_t out_len);

#endif
