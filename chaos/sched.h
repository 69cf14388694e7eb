/*
 * sched: `xl sched-credit2` (XL-COMPAT.md section 5, sched-credit2): the
 * credit2 scheduler's weight and cap of a domain and rate limit of a
 * cpupool, read and set with libxenctrl and printed as Xen 4.17 xl prints
 * them. It needs no xenstored: on a host that runs chaos without one, it
 * is how an operator gives dom0 the weight its toolstack needs (see
 * chaos/README.md, "Host settings").
 */
#ifndef CHAOS_SCHED_H
#define CHAOS_SCHED_H

#include <stdbool.h>
#include <stdio.h>

struct toolstack;

/* One sched-credit2 command, its options as given (NULL: not given). */
struct sched_request {
    const char *dom;            /* -d */
    const char *weight;         /* -w, 1 to 65535 */
    const char *cap;            /* -c, percent of one pCPU, 0 for none */
    const char *ratelimit_us;   /* -r, 0 (none) or 100 to 500000; needs -s */
    const char *cpupool;        /* -p, a name or an id */
    bool params;                /* -s */
};

/*
 * Runs R on TS's hypervisor: with -s, prints (or with -r sets) a
 * cpupool's rate limit, cpupool 0's unless -p names another; with -d,
 * prints (or with -w/-c sets) that domain's weight and cap; with neither,
 * prints every credit2 cpupool (or the one -p names) and the weight and
 * cap of its domains (chaosd's shells, and domains gone meanwhile, left
 * out). Output on OUT, errors on ERR. Returns the exit status: 0, or 1
 * after saying what failed.
 */
int sched_credit2(struct toolstack *ts, const struct sched_request *r,
                  FILE *out, FILE *err);

#endif
