/*
 * tapconf: a TAP vif's description. See tapconf.h.
 */
#include "tapconf.h"

#include <string.h>

#include "netdev.h"

static int parse_mtu(const char *s, size_t n, unsigned *out)
{
    unsigned long v = 0;

    if (n == 0 || n > 5 || (s[0] == '0'))
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (v < 68 || v > 65535)
        return -1;
    *out = (unsigned)v;
    return 0;
}

int tapconf_parse(const char *text, size_t len, struct tapconf *out,
                  unsigned *bad_line, const char **why)
{
    const char *p = text, *end = text + len;
    unsigned line = 0;

    memset(out, 0, sizeof(*out));
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *eq;
        size_t n = (size_t)((eol ? eol : end) - p), k;

        line++;
        if (n == 0 || p[0] == '#')
            goto next;
        if (memchr(p, '\0', n)) {
            *why = "a NUL byte";
            goto bad;
        }
        eq = memchr(p, '=', n);
        if (!eq) {
            *why = "not KEY=VALUE";
            goto bad;
        }
        k = (size_t)(eq - p);
        eq++;
        n -= k + 1;
        if (k == 6 && !memcmp(p, "bridge", 6)) {
            char name[IFNAMSIZ] = "";

            if (n >= sizeof(name)) {
                *why = "a bridge name longer than an interface name";
                goto bad;
            }
            memcpy(name, eq, n);
            name[n] = '\0';
            if (!netdev_name_ok(name)) {
                *why = "not a valid bridge name";
                goto bad;
            }
            memcpy(out->bridge, name, sizeof(name));
        } else if (k == 3 && !memcmp(p, "mtu", 3)) {
            if (parse_mtu(eq, n, &out->mtu) < 0) {
                *why = "an MTU that is not a number from 68 to 65535";
                goto bad;
            }
        }
next:
        p = eol ? eol + 1 : end;
    }
    return 0;
bad:
    *bad_line = line;
    return -1;
}
