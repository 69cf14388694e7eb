/*
 * tapconf: the description of a TAP vif, written by the program that
 * makes the TAP (chaos's NOXS backend) before it makes it, and read by
 * xendevd when the TAP appears: RUN_DIR/vifDOMID.DEVID (RUN_DIR is
 * /run/xendevd unless xendevd is told otherwise), owned by root, lines of
 * KEY=VALUE:
 *
 *   bridge=NAME     the bridge to attach it to (default: xendevd's --bridge)
 *   mtu=N           its MTU, 68 to 65535 (default: the bridge's)
 *
 * Blank lines and lines starting with '#' are skipped; unknown keys are
 * skipped too, so that a newer writer can add keys. A TAP with no
 * description is not xendevd's.
 */
#ifndef XENDEVD_TAPCONF_H
#define XENDEVD_TAPCONF_H

#include <net/if.h>
#include <stddef.h>

#define TAPCONF_MAX 1024                /* bytes of a description */

struct tapconf {
    char bridge[IFNAMSIZ];              /* "" if not given */
    unsigned mtu;                       /* 0 if not given */
};

/* tapconf_parse: parses the LEN bytes at TEXT into OUT. Returns 0, or -1
 * with *BAD_LINE set to the first line that is not KEY=VALUE or whose
 * value is not valid (a bridge name netdev_name_ok refuses, an MTU out of
 * range) and WHY to a static reason. */
int tapconf_parse(const char *text, size_t len, struct tapconf *out,
                  unsigned *bad_line, const char **why);

#endif
