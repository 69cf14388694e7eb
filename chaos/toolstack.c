/*
 * toolstack: chaos's operations on domains. See toolstack.h.
 */
#include "toolstack.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "xsreg.h"

/* Domains listed per hypercall; Xen caps domids at DOMID_FIRST_RESERVED. */
#define LIST_BATCH 256

int ts_open(struct toolstack *ts, FILE *err)
{
    int rc;

    memset(ts, 0, sizeof(*ts));
    ts->xch = xc_interface_open(NULL, NULL, 0);
    if (!ts->xch) {
        fprintf(err, "chaos: cannot open the Xen control interface: %s\n"
                "chaos: run chaos as root in dom0 of a Xen host\n",
                strerror(errno));
        return -1;
    }
    ts->xs = xsreg_open();
    rc = state_open(&ts->state, NULL);
    if (rc) {
        fprintf(err, "chaos: cannot open the state folder %s: %s\n",
                getenv("CHAOS_STATE_DIR") ? getenv("CHAOS_STATE_DIR")
                                          : STATE_DEFAULT_DIR,
                strerror(rc));
        ts_close(ts);
        return -1;
    }
    return 0;
}

void ts_close(struct toolstack *ts)
{
    if (ts->state.dir)
        state_close(&ts->state);
    if (ts->xs)
        xs_close(ts->xs);
    if (ts->xch)
        xc_interface_close(ts->xch);
    memset(ts, 0, sizeof(*ts));
}

int ts_list(struct toolstack *ts, xc_domaininfo_t **infos, size_t *n)
{
    xc_domaininfo_t *all = NULL;
    size_t count = 0;
    uint32_t next = 0;

    for (;;) {
        xc_domaininfo_t *more = realloc(all, (count + LIST_BATCH) *
                                             sizeof(*all));
        int got;

        if (!more) {
            free(all);
            errno = ENOMEM;
            return -1;
        }
        all = more;
        got = xc_domain_getinfolist(ts->xch, next, LIST_BATCH, all + count);
        if (got < 0) {
            free(all);
            return -1;
        }
        count += (size_t)got;
        if (got < LIST_BATCH)
            break;
        next = all[count - 1].domain + 1u;
    }
    *infos = all;
    *n = count;
    return 0;
}

char *ts_name(struct toolstack *ts, const xc_domaininfo_t *info)
{
    struct state_domain rec;
    char *name;

    if (ts->xs)
        return xsreg_name(ts->xs, info->domain);
    if (info->domain == 0)
        return strdup("Domain-0");
    if (state_load(&ts->state, info->domain, &rec) != 0)
        return NULL;
    name = NULL;
    /* A record whose UUID differs belongs to a domain that is gone. */
    if (memcmp(rec.uuid, info->handle, sizeof(rec.uuid)) == 0) {
        name = rec.name;
        rec.name = NULL;
    }
    state_domain_free(&rec);
    return name;
}

int ts_name_to_domid(struct toolstack *ts, const char *name, uint32_t *domid)
{
    xc_domaininfo_t *infos;
    size_t n;
    int rc = -1;

    if (ts_list(ts, &infos, &n) < 0)
        return -1;
    for (size_t i = 0; i < n && rc; i++) {
        char *s = ts_name(ts, &infos[i]);

        if (s && strcmp(s, name) == 0) {
            *domid = infos[i].domain;
            rc = 0;
        }
        free(s);
    }
    free(infos);
    return rc;
}

int ts_find_domain(struct toolstack *ts, const char *dom, uint32_t *domid,
                   FILE *err)
{
    size_t digits = strspn(dom, "0123456789");

    if (dom[digits] == '\0') {
        *domid = (uint32_t)strtoul(dom, NULL, 10);
        return 0;
    }
    if (ts_name_to_domid(ts, dom, domid) == 0)
        return 0;
    fprintf(err, "%s is an invalid domain identifier (rc=%d)\n", dom,
            ERROR_INVAL);
    return -1;
}

/* A random (version 4) UUID. */
static int random_uuid(uint8_t uuid[16])
{
    size_t got = 0;

    while (got < 16) {
        ssize_t n = getrandom(uuid + got, 16 - got, 0);

        if (n < 0 && errno != EINTR)
            return -1;
        if (n > 0)
            got += (size_t)n;
    }
    uuid[6] = (uint8_t)((uuid[6] & 0x0f) | 0x40);
    uuid[8] = (uint8_t)((uuid[8] & 0x3f) | 0x80);
    return 0;
}

/*
 * Checks that NAME is free, dropping state records of domains that are
 * gone on the way. Returns 0, or ERROR_FAIL after printing why on ERR.
 */
static int check_name_free(struct toolstack *ts, const char *name, FILE *err)
{
    xc_domaininfo_t *infos = NULL;
    uint32_t *recs = NULL;
    size_t n = 0, n_recs = 0;
    int rc = ERROR_FAIL;

    if (ts_list(ts, &infos, &n) < 0) {
        fprintf(err, "chaos: cannot list domains: %s\n", strerror(errno));
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        char *s = ts_name(ts, &infos[i]);
        bool taken = s && *name && strcmp(s, name) == 0;

        free(s);
        if (taken) {
            fprintf(err, "chaos: the name \"%s\" is already in use by "
                    "domain %u; choose another name\n", name,
                    infos[i].domain);
            goto out;
        }
    }
    if (state_list(&ts->state, &recs, &n_recs) == 0) {
        for (size_t i = 0; i < n_recs; i++) {
            bool live = false;

            for (size_t j = 0; j < n && !live; j++)
                live = infos[j].domain == recs[i];
            if (!live)
                state_remove(&ts->state, recs[i]);
        }
    }
    rc = 0;
out:
    free(recs);
    free(infos);
    return rc;
}

/* Checks that Xen has the memory DC needs, as libxl computes it for a PV
 * domain. Returns 0, or ERROR_FAIL after printing why on ERR. */
static int check_memory(struct toolstack *ts, const struct domcfg *dc,
                        FILE *err)
{
    xc_physinfo_t info = { 0 };
    uint64_t page_kb, free_kb, need_kb;

    if (xc_physinfo(ts->xch, &info) < 0) {
        fprintf(err, "chaos: cannot read Xen's free memory: %s\n",
                strerror(errno));
        return ERROR_FAIL;
    }
    page_kb = XC_PAGE_SIZE / 1024;
    free_kb = (info.free_pages - info.outstanding_pages) * page_kb;
    need_kb = (dc->target_kb + 1024 + 2047) & ~(uint64_t)2047;
    if (free_kb < need_kb) {
        fprintf(err, "chaos: not enough free memory in Xen for %s: it needs "
                "%llu MiB, %llu MiB are free\n", dc->name,
                (unsigned long long)(need_kb / 1024),
                (unsigned long long)(free_kb / 1024));
        fprintf(err, "failed to free memory for the domain\n");
        return ERROR_FAIL;
    }
    return 0;
}

int ts_create(struct toolstack *ts, const struct domcfg *dc,
              const struct build_image *image, const char *config,
              size_t config_len, bool paused, uint32_t *domid, FILE *err)
{
    struct build_result br;
    struct state_domain rec = { 0 };
    uint8_t uuid[16];
    bool built = false, saved = false;
    int rc, r;

    r = state_lock(&ts->state);
    if (r) {
        fprintf(err, "chaos: cannot lock %s/lock: %s\n", ts->state.dir,
                strerror(r));
        return ERROR_FAIL;
    }
    rc = check_name_free(ts, dc->name, err);
    if (rc)
        goto out;
    rc = check_memory(ts, dc, err);
    if (rc)
        goto out;
    if (dc->uuid_set) {
        memcpy(uuid, dc->uuid, sizeof(uuid));
    } else if (random_uuid(uuid) < 0) {
        fprintf(err, "chaos: cannot make a UUID: %s\n", strerror(errno));
        rc = ERROR_FAIL;
        goto out;
    }

    rc = ERROR_FAIL;
    if (build_pv_domain(ts->xch, dc, image, uuid, &br, err) < 0)
        goto out;
    built = true;

    rec.domid = br.domid;
    rec.name = dc->name;
    memcpy(rec.uuid, uuid, sizeof(uuid));
    rec.console_mfn = br.console_mfn;
    rec.console_port = br.console_port;
    rec.store_mfn = br.store_mfn;
    rec.store_port = br.store_port;
    rec.config = (char *)config;
    rec.config_len = config_len;
    r = state_save(&ts->state, &rec);
    if (r) {
        fprintf(err, "chaos: domain %u (%s): cannot write its record in "
                "%s: %s\n", br.domid, dc->name, ts->state.dir, strerror(r));
        goto out;
    }
    saved = true;
    if (ts->xs && xsreg_add(ts->xs, dc, uuid, &br, err) < 0)
        goto out;
    if (!paused && xc_domain_unpause(ts->xch, br.domid) < 0) {
        fprintf(err, "chaos: domain %u (%s): cannot unpause it: %s\n",
                br.domid, dc->name, strerror(errno));
        if (ts->xs)
            xsreg_remove(ts->xs, br.domid, err);
        goto out;
    }
    *domid = br.domid;
    rc = 0;
out:
    if (rc && saved)
        state_remove(&ts->state, br.domid);
    if (rc && built && xc_domain_destroy(ts->xch, br.domid) < 0)
        fprintf(err, "chaos: domain %u: cannot destroy the half-made "
                "domain: %s; destroy it with 'chaos destroy %u'\n",
                br.domid, strerror(errno), br.domid);
    state_unlock(&ts->state);
    return rc;
}

int ts_destroy(struct toolstack *ts, uint32_t domid, FILE *err)
{
    xc_domaininfo_t info;

    if (xc_domain_getinfolist(ts->xch, domid, 1, &info) != 1 ||
        info.domain != domid) {
        fprintf(err, "chaos: domain %u does not exist\n", domid);
        return ERROR_DOMAIN_NOTFOUND;
    }
    /* Paused first, as libxl does, so it runs no more while its
     * entries go away. */
    xc_domain_pause(ts->xch, domid);
    if (ts->xs)
        xsreg_remove(ts->xs, domid, err);
    state_remove(&ts->state, domid);
    if (xc_domain_destroy(ts->xch, domid) < 0) {
        fprintf(err, "chaos: domain %u: cannot destroy it: %s\n", domid,
                strerror(errno));
        return ERROR_FAIL;
    }
    return 0;
}
