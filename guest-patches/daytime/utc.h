/*
 * utc.h: seconds since the Unix epoch as daytime text (RFC 867 leaves
 * the format open): "YYYY-MM-DD HH:MM:SS UTC\r\n", which GNU date -d
 * parses back. Pure.
 */
#ifndef DAYTIME_UTC_H
#define DAYTIME_UTC_H

#include <stddef.h>
#include <stdint.h>

/* Length of the text, without a NUL. */
#define UTC_TEXT_LEN 25

/*
 * Writes the text for SECS into BUF, NUL-terminated when LEN allows, and
 * returns how many characters of it fit (at most UTC_TEXT_LEN).
 */
size_t utc_format(char *buf, size_t len, uint64_t secs);

#endif
