/*
 * cmdline.c: the word matcher declared in cmdline.h.
 */
#include "cmdline.h"
#include "lib.h"

static bool is_separator(char c)
{
    return c == ' ' || c == '\t';
}

/*
 * Finds the first word of line that starts with prefix and is exactly
 * prefix_len long (whole) or longer (!whole). Returns its start and
 * stores its length in *len, or NULL.
 */
static const char *find_word(const char *line, size_t max, const char *prefix,
                             size_t prefix_len, bool whole, size_t *len)
{
    size_t i = 0;

    while (i < max && line[i]) {
        size_t start;

        if (is_separator(line[i])) {
            i++;
            continue;
        }
        start = i;
        while (i < max && line[i] && !is_separator(line[i]))
            i++;
        if ((whole ? i - start == prefix_len : i - start >= prefix_len) &&
            memcmp(line + start, prefix, prefix_len) == 0) {
            *len = i - start;
            return line + start;
        }
    }
    return NULL;
}

bool cmdline_has_word(const char *line, size_t max, const char *word)
{
    size_t wlen = strlen(word), len;

    return wlen > 0 && find_word(line, max, word, wlen, true, &len) != NULL;
}

bool cmdline_value(const char *line, size_t max, const char *key, char *out,
                   size_t out_len)
{
    char prefix[64];
    size_t klen = strlen(key), len;
    const char *w;

    if (out_len > 0)
        out[0] = '\0';
    if (klen == 0 || klen + 1 > sizeof(prefix))
        return false;
    memcpy(prefix, key, klen);
    prefix[klen] = '=';
    w = find_word(line, max, prefix, klen + 1, false, &len);
    if (!w || len - klen - 1 >= out_len)
        return false;
    memcpy(out, w + klen + 1, len - klen - 1);
    out[len - klen - 1] = '\0';
    return true;
}
