/*
 * utc.c: the daytime text, declared in utc.h.
 */
#include "fmt.h"
#include "utc.h"

size_t utc_format(char *buf, size_t len, uint64_t secs)
{
    /* Civil date from a day count: years of 400 are 146097 days, and
     * counting from March 1 puts the leap day at the end of a year. */
    int64_t days = (int64_t)(secs / 86400), era, doe, yoe, doy, mp;
    unsigned int rem = (unsigned int)(secs % 86400);
    int64_t y, m, d;
    size_t n;

    days += 719468;                     /* 1970-01-01 from 0000-03-01 */
    era = days / 146097;
    doe = days - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = yoe + era * 400 + (m <= 2);
    n = fmt_format(buf, len, "%04lld-%02lld-%02lld %02u:%02u:%02u UTC\r\n",
                   (long long)y, (long long)m, (long long)d, rem / 3600,
                   rem / 60 % 60, rem % 60);
    return n < len ? n : (len ? len - 1 : 0);
}
