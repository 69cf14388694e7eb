/*
 * sched: `xl sched-credit2` with libxenctrl (see sched.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "sched.h"
#include "toolstack.h"

#define WEIGHT_MAX 65535u               /* libxl's range for credit2 */
#define CAP_MAX 65535u                  /* the field's; Xen checks vcpus */

/* S as a number from MIN to MAX, said wrong on ERR under OPT's name. */
static int parse_number(const char *opt, const char *s, unsigned long min,
                        unsigned long max, unsigned long *v, FILE *err)
{
    char *end;

    errno = 0;
    *v = strtoul(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || errno || *v < min || *v > max) {
        fprintf(err, "chaos: %s wants a number from %lu to %lu, not '%s'\n",
                opt, min, max, s);
        return -1;
    }
    return 0;
}

/* Cpupool POOLID's name as libxl finds it (xenstore's, else "Pool-0" for
 * pool 0), else its id; NULL when out of memory. */
static char *pool_name(struct toolstack *ts, uint32_t poolid)
{
    char path[40], *name = NULL;
    unsigned int len;

    if (ts->xs) {
        snprintf(path, sizeof(path), "/local/pool/%u/name", poolid);
        name = xs_read(ts->xs, XBT_NULL, path, &len);
        if (name)
            return name;
    }
    if (poolid == 0)
        return strdup("Pool-0");
    snprintf(path, sizeof(path), "%u", poolid);
    return strdup(path);
}

/* The scheduler of cpupool POOLID in *SCHED_ID; -1 if there is no such
 * pool. */
static int pool_sched(struct toolstack *ts, uint32_t poolid,
                      uint32_t *sched_id)
{
    xc_cpupoolinfo_t *info = xc_cpupool_getinfo(ts->xch, poolid);
    int rc = -1;

    if (info && info->cpupool_id == poolid) {
        *sched_id = info->sched_id;
        rc = 0;
    }
    if (info)
        xc_cpupool_infofree(ts->xch, info);
    return rc;
}

/* The cpupool QUALIFIER names (an id, or a name as pool_name gives it) in
 * *POOLID; says so on ERR and returns -1 if none. */
static int find_pool(struct toolstack *ts, const char *qualifier,
                     uint32_t *poolid, FILE *err)
{
    xc_cpupoolinfo_t *info;
    unsigned long id;
    uint32_t next = 0, sched_id;
    int found = -1;

    if (qualifier[0] >= '0' && qualifier[0] <= '9') {
        char *end;

        errno = 0;
        id = strtoul(qualifier, &end, 10);
        if (!*end && !errno && id <= UINT32_MAX &&
            pool_sched(ts, (uint32_t)id, &sched_id) == 0) {
            *poolid = (uint32_t)id;
            return 0;
        }
    }
    while (found < 0 && (info = xc_cpupool_getinfo(ts->xch, next))) {
        char *name = pool_name(ts, info->cpupool_id);

        if (name && strcmp(name, qualifier) == 0) {
            *poolid = info->cpupool_id;
            found = 0;
        }
        free(name);
        next = info->cpupool_id + 1;
        xc_cpupool_infofree(ts->xch, info);
    }
    if (found < 0)
        fprintf(err, "unknown cpupool '%s'\n", qualifier);
    return found;
}

static const char *sched_name(uint32_t sched_id)
{
    switch (sched_id) {
    case XEN_SCHEDULER_CREDIT: return "credit";
    case XEN_SCHEDULER_CREDIT2: return "credit2";
    case XEN_SCHEDULER_ARINC653: return "arinc653";
    case XEN_SCHEDULER_RTDS: return "rtds";
    case XEN_SCHEDULER_NULL: return "null";
    default: return "an unknown scheduler";
    }
}

/* "Cpupool NAME: ratelimit=Nus" for POOLID, as xl prints it. */
static void print_pool(struct toolstack *ts, uint32_t poolid, FILE *out)
{
    struct xen_sysctl_credit2_schedule params;
    char *name = pool_name(ts, poolid);

    if (xc_sched_credit2_params_get(ts->xch, poolid, &params) < 0)
        fprintf(out, "Cpupool %s: [sched params unavailable]\n",
                name ? name : "(null)");
    else
        fprintf(out, "Cpupool %s: ratelimit=%uus\n", name ? name : "(null)",
                params.ratelimit_us);
    free(name);
}

static void print_header(FILE *out)
{
    fprintf(out, "%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");
}

/* INFO's line of weight and cap, named NAME; nothing if the domain is
 * gone by now and GONE_OK; -1 after saying why on ERR when Xen will not
 * tell them. */
static int print_domain(struct toolstack *ts, const xc_domaininfo_t *info,
                        const char *name, bool gone_ok, FILE *out, FILE *err)
{
    struct xen_domctl_sched_credit2 sdom;

    if (xc_sched_credit2_domain_get(ts->xch, info->domain, &sdom) < 0) {
        if (gone_ok && errno == ESRCH)
            return 0;
        fprintf(err, "chaos: cannot read the credit2 parameters of domain "
                "%u: %s\n", info->domain, strerror(errno));
        return -1;
    }
    fprintf(out, "%-33s %4u %6u %4u\n", name ? name : "(null)", info->domain,
            sdom.weight, sdom.cap);
    return 0;
}

/* -s: prints or sets the rate limit of the cpupool R names, or pool 0. */
static int pool_params(struct toolstack *ts, const struct sched_request *r,
                       FILE *out, FILE *err)
{
    struct xen_sysctl_credit2_schedule params;
    uint32_t poolid = 0, sched_id;
    unsigned long limit;

    if (r->cpupool && find_pool(ts, r->cpupool, &poolid, err) < 0)
        return 1;
    if (!r->ratelimit_us) {
        print_pool(ts, poolid, out);
        return 0;
    }
    if (parse_number("-r", r->ratelimit_us, 0, XEN_SYSCTL_SCHED_RATELIMIT_MAX,
                     &limit, err) < 0)
        return 1;
    if (limit && limit < XEN_SYSCTL_SCHED_RATELIMIT_MIN) {
        fprintf(err, "chaos: -r wants 0 (no rate limit) or %u to %u "
                "microseconds, not %lu\n", XEN_SYSCTL_SCHED_RATELIMIT_MIN,
                XEN_SYSCTL_SCHED_RATELIMIT_MAX, limit);
        return 1;
    }
    if (pool_sched(ts, poolid, &sched_id) == 0 &&
        sched_id != XEN_SCHEDULER_CREDIT2) {
        fprintf(err, "chaos: cpupool %u runs %s, not credit2\n", poolid,
                sched_name(sched_id));
        return 1;
    }
    params.ratelimit_us = (uint32_t)limit;
    if (xc_sched_credit2_params_set(ts->xch, poolid, &params) < 0) {
        fprintf(err, "chaos: cannot set the rate limit of cpupool %u: %s\n",
                poolid, strerror(errno));
        return 1;
    }
    return 0;
}

/* -d: prints or sets the weight and cap of the domain R names. */
static int domain_params(struct toolstack *ts, const struct sched_request *r,
                         FILE *out, FILE *err)
{
    struct xen_domctl_sched_credit2 sdom;
    xc_domaininfo_t info;
    unsigned long weight = 0, cap = 0;
    uint32_t domid, sched_id;
    char *name = NULL;
    int rc = 1;

    if ((r->weight && parse_number("-w", r->weight, 1, WEIGHT_MAX, &weight,
                                   err) < 0) ||
        (r->cap && parse_number("-c", r->cap, 0, CAP_MAX, &cap, err) < 0))
        return 1;
    if (ts_find_domain(ts, r->dom, &domid, err) < 0)
        return 1;
    if (xc_domain_getinfolist(ts->xch, domid, 1, &info) != 1 ||
        info.domain != domid) {
        fprintf(err, "chaos: domain %u does not exist\n", domid);
        return 1;
    }
    if (pool_sched(ts, info.cpupool, &sched_id) == 0 &&
        sched_id != XEN_SCHEDULER_CREDIT2) {
        fprintf(err, "chaos: domain %u is in cpupool %u, which runs %s, not "
                "credit2\n", domid, info.cpupool, sched_name(sched_id));
        return 1;
    }
    if (!r->weight && !r->cap) {
        name = ts_name(ts, &info);
        print_header(out);
        rc = print_domain(ts, &info, name, false, out, err) < 0;
        goto out;
    }
    if (xc_sched_credit2_domain_get(ts->xch, domid, &sdom) < 0) {
        fprintf(err, "chaos: cannot read the credit2 parameters of domain "
                "%u: %s\n", domid, strerror(errno));
        goto out;
    }
    if (r->weight)
        sdom.weight = (uint16_t)weight;
    if (r->cap)
        sdom.cap = (uint16_t)cap;
    if (xc_sched_credit2_domain_set(ts->xch, domid, &sdom) < 0) {
        fprintf(err, "chaos: cannot set the weight and cap of domain %u: "
                "%s%s\n", domid, strerror(errno), errno == EINVAL && r->cap ?
                " (a cap is at most 100 times the domain's vcpus)" : "");
        goto out;
    }
    rc = 0;
out:
    free(name);
    return rc;
}

/* Neither -s nor -d: every credit2 cpupool (or R's) and its domains. */
static int list_all(struct toolstack *ts, const struct sched_request *r,
                    FILE *out, FILE *err)
{
    xc_domaininfo_t *infos = NULL;
    xc_cpupoolinfo_t *pool;
    char **names = NULL;
    size_t n = 0, kept = 0;
    uint32_t only = 0, next = 0;
    int rc = 1;

    if (r->cpupool && find_pool(ts, r->cpupool, &only, err) < 0)
        return 1;
    if (ts_list(ts, &infos, &n) < 0) {
        fprintf(err, "chaos: cannot list domains: %s\n", strerror(errno));
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        if (!pool_is_shell(infos[i].handle))
            infos[kept++] = infos[i];
    n = kept;
    names = calloc(n ? n : 1, sizeof(*names));
    if (!names) {
        fprintf(err, "chaos: out of memory\n");
        goto out;
    }
    ts_names(ts, infos, n, names);
    rc = 0;
    while (!rc && (pool = xc_cpupool_getinfo(ts->xch, next))) {
        uint32_t id = pool->cpupool_id;

        next = id + 1;
        if (pool->sched_id == XEN_SCHEDULER_CREDIT2 &&
            (!r->cpupool || id == only)) {
            print_pool(ts, id, out);
            print_header(out);
            for (size_t i = 0; i < n && !rc; i++)
                if (infos[i].cpupool == id)
                    rc = print_domain(ts, &infos[i], names[i], true, out,
                                      err) < 0;
        }
        xc_cpupool_infofree(ts->xch, pool);
    }
out:
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
    free(infos);
    return rc;
}

int sched_credit2(struct toolstack *ts, const struct sched_request *r,
                  FILE *out, FILE *err)
{
    if (r->cpupool && (r->dom || r->weight || r->cap)) {
        fprintf(err, "Specifying a cpupool is not allowed with other "
                "options.\n");
        return 1;
    }
    if (!r->dom && (r->weight || r->cap)) {
        fprintf(err, "Must specify a domain.\n");
        return 1;
    }
    if (r->params && r->dom) {
        fprintf(err, "chaos: -s (a cpupool's parameters) and -d (a "
                "domain's) go in separate commands\n");
        return 1;
    }
    if (r->ratelimit_us && !r->params) {
        fprintf(err, "chaos: -r sets a cpupool's parameter: give -s with "
                "it\n");
        return 1;
    }
    if (r->params)
        return pool_params(ts, r, out, err);
    if (r->dom)
        return domain_params(ts, r, out, err);
    return list_all(ts, r, out, err);
}
