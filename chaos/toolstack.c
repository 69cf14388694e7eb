/*
 * toolstack: chaos's operations on domains. See toolstack.h.
 */
#include "toolstack.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "imgcache.h"
#include "noxsdev.h"
#include "pool.h"
#include "timing.h"
#include "xlcfg.h"
#include "xsreg.h"

/* Domains listed per hypercall: as many as fit one page, the size of
 * hypercall buffer libxencall keeps cached; a larger one is mapped and
 * unmapped on every call, which costs milliseconds in a PV dom0. */
#define LIST_BATCH (XC_PAGE_SIZE / sizeof(xc_domaininfo_t))

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
        got = xc_domain_getinfolist(ts->xch, next, (unsigned int)LIST_BATCH,
                                    all + count);
        if (got < 0) {
            free(all);
            return -1;
        }
        count += (size_t)got;
        if ((size_t)got < LIST_BATCH)
            break;
        next = all[count - 1].domain + 1u;
    }
    *infos = all;
    *n = count;
    return 0;
}

/* The name in DOMID's state record, if the record is INFO's domain's. */
static char *recorded_name(struct toolstack *ts, const xc_domaininfo_t *info)
{
    struct state_domain rec;
    char *name = NULL;

    if (state_load(&ts->state, info->domain, &rec) != 0)
        return NULL;
    /* A record whose UUID differs belongs to a domain that is gone. */
    if (memcmp(rec.uuid, info->handle, sizeof(rec.uuid)) == 0) {
        name = rec.name;
        rec.name = NULL;
    }
    state_domain_free(&rec);
    return name;
}

char *ts_name(struct toolstack *ts, const xc_domaininfo_t *info)
{
    char *name = ts->xs ? xsreg_name(ts->xs, info->domain) : NULL;

    if (name)
        return name;
    if (info->domain == 0)
        return strdup("Domain-0");
    return recorded_name(ts, info);
}

void ts_names(struct toolstack *ts, const xc_domaininfo_t *infos, size_t n,
              char **names)
{
    uint32_t *domids = ts->xs ? calloc(n ? n : 1, sizeof(*domids)) : NULL;
    bool batched = false;

    if (domids) {
        for (size_t i = 0; i < n; i++)
            domids[i] = infos[i].domain;
        batched = xsreg_names(domids, n, names) == 0;
        free(domids);
    }
    for (size_t i = 0; i < n; i++) {
        if (!batched)
            names[i] = ts_name(ts, &infos[i]);
        else if (!names[i] && infos[i].domain == 0)
            names[i] = strdup("Domain-0");
        else if (!names[i])
            names[i] = recorded_name(ts, &infos[i]);
    }
}

/* DOMID as chaos's name index has it for NAME, if that domain lives. */
static bool indexed_domid(struct toolstack *ts, const char *name,
                          uint32_t *domid)
{
    xc_domaininfo_t info;
    uint32_t id;
    char *s;
    bool ok;

    if (state_find_name(&ts->state, name, &id) != 0 ||
        xc_domain_getinfolist(ts->xch, id, 1, &info) != 1 || info.domain != id)
        return false;
    s = ts_name(ts, &info);
    ok = s && strcmp(s, name) == 0;
    free(s);
    if (ok)
        *domid = id;
    return ok;
}

int ts_name_to_domid(struct toolstack *ts, const char *name, uint32_t *domid)
{
    xc_domaininfo_t *infos;
    char **names;
    size_t n;
    int rc = -1;

    if (indexed_domid(ts, name, domid))
        return 0;
    if (ts_list(ts, &infos, &n) < 0)
        return -1;
    names = calloc(n ? n : 1, sizeof(*names));
    if (names) {
        ts_names(ts, infos, n, names);
        for (size_t i = 0; i < n; i++) {
            if (rc && names[i] && strcmp(names[i], name) == 0) {
                *domid = infos[i].domain;
                rc = 0;
            }
            free(names[i]);
        }
    }
    free(names);
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

int ts_find_destroyable(struct toolstack *ts, const char *dom, bool force,
                        uint32_t *domid, FILE *err)
{
    if (ts_find_domain(ts, dom, domid, err) < 0)
        return -1;
    if (*domid == 0 && !force) {
        fprintf(err, "Not destroying domain 0; use -f to force.\n"
                "This can only be done when using a disaggregated hardware "
                "domain and toolstack.\n\n");
        return -1;
    }
    return 0;
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

/* The entry of DOMID in INFOS (N domains), or NULL. */
static const xc_domaininfo_t *find_info(const xc_domaininfo_t *infos,
                                        size_t n, uint32_t domid)
{
    for (size_t i = 0; i < n; i++)
        if (infos[i].domain == domid)
            return &infos[i];
    return NULL;
}

int ts_forget_gone(struct toolstack *ts, const xc_domaininfo_t *infos,
                   size_t n, uint32_t **recs_out, size_t *n_recs_out)
{
    xc_domaininfo_t *listed = NULL;
    uint32_t *recs = NULL;
    size_t n_recs = 0, kept = 0;
    int rc = -1;

    /* Under the create lock, with the domains listed under it: else a
     * domain made since an earlier list would look gone. */
    if (state_lock(&ts->state) != 0)
        return -1;
    if (!infos) {
        if (ts_list(ts, &listed, &n) < 0)
            goto out;
        infos = listed;
    }
    if (state_list(&ts->state, &recs, &n_recs) != 0) {
        recs = NULL;
        n_recs = 0;
    }
    for (size_t i = 0; i < n_recs; i++) {
        if (find_info(infos, n, recs[i])) {
            recs[kept++] = recs[i];
            continue;
        }
        if (ts->xs)
            xsreg_remove(recs[i], stderr);
        state_remove(&ts->state, recs[i]);
    }
    rc = 0;
out:
    state_unlock(&ts->state);
    free(listed);
    if (recs_out && rc == 0) {
        *recs_out = recs;
        *n_recs_out = kept;
    } else {
        free(recs);
    }
    return rc;
}

/*
 * Checks that NAME is free: for chaos's domains through the state
 * folder's name index, for the others (made by xl) through xenstore,
 * forgetting on the way the records of domains that are gone. Without
 * xenstored, chaos made every domain but dom0. Returns 0, or
 * ERROR_FAIL after printing why on ERR. Empty names are never checked,
 * as in libxl.
 */
static int check_name_free(struct toolstack *ts, const char *name, FILE *err)
{
    xc_domaininfo_t *infos = NULL, one;
    struct state_domain rec;
    uint32_t *recs = NULL, *others = NULL, owner, taken_by = 0;
    char **names = NULL;
    size_t n = 0, n_recs = 0, n_others = 0;
    bool taken = false;
    int rc = ERROR_FAIL;

    if (!*name)
        return 0;
    /* One domain looked at, whatever the number running. */
    if (state_find_name(&ts->state, name, &owner) == 0 &&
        xc_domain_getinfolist(ts->xch, owner, 1, &one) == 1 &&
        one.domain == owner && state_load(&ts->state, owner, &rec) == 0) {
        taken = memcmp(rec.uuid, one.handle, sizeof(rec.uuid)) == 0 &&
                strcmp(rec.name, name) == 0;
        taken_by = owner;
        state_domain_free(&rec);
    }
    if (!taken && !ts->xs && strcmp(name, "Domain-0") == 0) {
        taken = true;
        taken_by = 0;
    }
    if (taken || !ts->xs)
        goto check;
    /* The domains chaos did not make have their names in xenstore, read
     * in one batch. */
    if (ts_list(ts, &infos, &n) < 0) {
        fprintf(err, "chaos: cannot list domains: %s\n", strerror(errno));
        goto out;
    }
    ts_forget_gone(ts, infos, n, &recs, &n_recs);
    others = calloc(n ? n : 1, sizeof(*others));
    names = calloc(n ? n : 1, sizeof(*names));
    if (!others || !names) {
        fprintf(err, "chaos: out of memory\n");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t d = infos[i].domain;

        if (!bsearch(&d, recs, n_recs, sizeof(*recs), state_cmp_domid))
            others[n_others++] = d;
    }
    if (xsreg_names(others, n_others, names) != 0) {
        fprintf(err, "chaos: cannot read domain names from xenstore\n");
        goto out;
    }
    for (size_t i = 0; i < n_others && !taken; i++) {
        taken = names[i] && strcmp(names[i], name) == 0;
        taken_by = others[i];
    }
check:
    if (taken) {
        fprintf(err, "chaos: the name \"%s\" is already in use by domain %u; "
                "choose another name\n", name, taken_by);
        goto out;
    }
    rc = 0;
out:
    for (size_t i = 0; names && i < n_others; i++)
        free(names[i]);
    free(names);
    free(others);
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

/* A create's record, and where it goes: written by save_record, on the
 * create's thread or aside. */
struct record_job {
    struct toolstack *ts;
    struct state_domain rec;
    bool posted;                        /* to ts->aside */
    int result;                         /* save_record's */
};

static int save_record(void *arg)
{
    struct record_job *job = arg;

    return state_save(&job->ts->state, &job->rec);
}

/* Completes JOB's record with the build's result BR. */
static void record_result(struct record_job *job,
                          const struct build_result *br)
{
    job->rec.domid = br->domid;
    job->rec.console_mfn = br->console_mfn;
    job->rec.console_port = br->console_port;
    job->rec.store_mfn = br->store_mfn;
    job->rec.store_port = br->store_port;
}

/* build_laid_out_fn: completes the record and has it written aside while
 * the image boots. */
static void record_aside(void *ctx, const struct build_result *br)
{
    struct record_job *job = ctx;

    record_result(job, br);
    aside_post(job->ts->aside, save_record, job);
    job->posted = true;
}

int ts_create(struct toolstack *ts, const struct domcfg *dc,
              const struct build_image *image, const char *config,
              size_t config_len, bool paused, uint32_t *domid, FILE *err)
{
    struct build_result br;
    struct build_shape shape;
    struct build_shell shell;
    struct record_job job = { .ts = ts };
    struct state_domain *rec = &job.rec;
    xen_domain_handle_t handle;
    uint8_t uuid[16];
    bool built = false, saved = false, from_shell = false, devices = false;
    int rc, r;

    r = state_lock(&ts->state);
    if (r) {
        fprintf(err, "chaos: cannot lock %s/lock: %s\n", ts->state.dir,
                strerror(r));
        return ERROR_FAIL;
    }
    timing_mark("locked");
    rc = check_name_free(ts, dc->name, err);
    if (rc)
        goto out;
    timing_mark("name checked");
    build_shape_of(dc, &shape);
    from_shell = ts->pool && pool_take(ts->pool, &shape, &shell);
    if (!from_shell) {
        rc = check_memory(ts, dc, err);
        if (rc)
            goto out;
    }
    if (dc->uuid_set) {
        memcpy(uuid, dc->uuid, sizeof(uuid));
    } else if (random_uuid(uuid) < 0) {
        fprintf(err, "chaos: cannot make a UUID: %s\n", strerror(errno));
        rc = ERROR_FAIL;
        goto out;
    }

    rc = ERROR_FAIL;
    timing_mark("memory checked");
    rec->name = dc->name;
    memcpy(rec->uuid, uuid, sizeof(uuid));
    rec->config = (char *)config;
    rec->config_len = config_len;
    rec->kernel_path = (char *)image->kernel_path;
    rec->ramdisk_path = (char *)image->ramdisk_path;
    if (from_shell) {
        from_shell = false;             /* finish uses it up either way */
        r = build_shell_finish(ts->xch, &shell, dc, image,
                               ts->aside ? record_aside : NULL, &job, &br,
                               err);
        if (job.posted) {
            /* Whatever became of the build: the record is not left
             * being written, nor left behind by a domain that is gone. */
            job.result = aside_wait(ts->aside);
            if (r < 0 && job.result == 0)
                state_remove(&ts->state, shell.domid);
        }
        if (r < 0) {
            if (ts->xs)                 /* its name as a shell */
                xsreg_unmark_shell(shell.domid);
            goto out;
        }
        pool_note_guest(ts->pool, &shape, br.domid);
    } else if (build_pv_domain(ts->xch, dc, image, &br, err) < 0) {
        goto out;
    }
    built = true;
    timing_mark("built");

    if (!job.posted) {
        record_result(&job, &br);
        job.result = save_record(&job);
    }
    if (job.result) {
        fprintf(err, "chaos: domain %u (%s): cannot write its record in "
                "%s: %s\n", br.domid, dc->name, ts->state.dir,
                strerror(job.result));
        goto out;
    }
    saved = true;
    /* Its own UUID only now that it has a record: a marked domain with
     * none is debris of a create that died (pool_discard_strays). */
    memcpy(handle, uuid, sizeof(handle));
    if (xc_domain_sethandle(ts->xch, br.domid, handle) < 0) {
        fprintf(err, "chaos: domain %u (%s): cannot set its UUID: %s\n",
                br.domid, dc->name, strerror(errno));
        goto out;
    }
    timing_mark("state saved");
    if (noxsdev_wanted(dc)) {
        if (noxsdev_setup(ts->xch, dc, &br, err) < 0)
            goto out;
        devices = true;
        timing_mark("noxs devices set up");
    }
    if (ts->xs && xsreg_add(dc, uuid, &br, err) < 0)
        goto out;
    timing_mark("xenstore written");
    if (ts->made) {
        ts->made(ts->made_ctx, rec);
        timing_mark("made: told");
    }
    if (!paused && xc_domain_unpause(ts->xch, br.domid) < 0) {
        fprintf(err, "chaos: domain %u (%s): cannot unpause it: %s\n",
                br.domid, dc->name, strerror(errno));
        if (ts->xs)
            xsreg_remove(br.domid, err);
        goto out;
    }
    *domid = br.domid;
    timing_mark("unpaused");
    rc = 0;
out:
    if (rc && devices)
        noxsdev_remove(br.domid, err);
    if (rc && saved)
        state_remove(&ts->state, br.domid);
    if (rc && built && xc_domain_destroy(ts->xch, br.domid) < 0)
        fprintf(err, "chaos: domain %u: cannot destroy the half-made "
                "domain: %s; destroy it with 'chaos destroy %u'\n",
                br.domid, strerror(errno), br.domid);
    if (from_shell)                     /* taken, then a check failed */
        build_shell_discard(ts->xch, &shell, err);
    state_unlock(&ts->state);
    return rc;
}

int ts_destroy(struct toolstack *ts, uint32_t domid, FILE *err)
{
    xc_domaininfo_t info;
    int rc;

    if (xc_domain_getinfolist(ts->xch, domid, 1, &info) != 1 ||
        info.domain != domid) {
        fprintf(err, "chaos: domain %u does not exist\n", domid);
        return ERROR_DOMAIN_NOTFOUND;
    }
    /* Gone from Xen first, then its entries, then its record, as libxl
     * does: xenconsoled, still setting up a domain just made, then finds
     * it dying rather than writing into entries already removed; and
     * chaos killed in between leaves a record of a gone domain, whose
     * entries ts_forget_gone removes with it. */
    xc_domain_pause(ts->xch, domid);
    timing_mark("destroy: paused");
    /* The backend lets go of its rings first: mapped, they would keep
     * the domain a zombie. */
    noxsdev_remove(domid, err);
    timing_mark("destroy: devices removed");
    rc = ts_destroy_finish(ts, domid, err);
    if (rc)
        return rc;
    timing_mark("destroy: destroyed");
    state_remove(&ts->state, domid);
    timing_mark("destroy: record removed");
    return 0;
}

int ts_destroy_begin(struct toolstack *ts, const xc_domaininfo_t *info,
                     FILE *err)
{
    uint32_t domid = info->domain;
    xen_domain_handle_t handle;

    if (xc_domain_pause(ts->xch, domid) < 0) {
        fprintf(err, "chaos: domain %u: cannot pause it to destroy it: %s\n",
                domid, strerror(errno));
        return ERROR_FAIL;
    }
    timing_mark("destroy: paused");
    noxsdev_remove(domid, err);
    timing_mark("destroy: devices removed");
    memcpy(handle, info->handle, sizeof(handle));
    build_remark(handle);
    if (xc_domain_sethandle(ts->xch, domid, handle) < 0) {
        fprintf(err, "chaos: domain %u: cannot mark it to destroy it: %s\n",
                domid, strerror(errno));
        return ERROR_FAIL;
    }
    timing_mark("destroy: marked");
    return 0;
}

int ts_destroy_finish(struct toolstack *ts, uint32_t domid, FILE *err)
{
    if (xc_domain_destroy(ts->xch, domid) < 0) {
        fprintf(err, "chaos: domain %u: cannot destroy it: %s\n", domid,
                strerror(errno));
        return ERROR_FAIL;
    }
    if (ts->xs)
        xsreg_remove(domid, err);
    return 0;
}

int ts_parse_config(const char *source, const char *config,
                    size_t config_len, struct domcfg *dc, FILE *err)
{
    struct xlcfg cfg;
    int rc = 1, r;

    xlcfg_init(&cfg);
    r = xlcfg_parse(&cfg, source, config, config_len, err);
    if (r) {
        fprintf(err, "Failed to parse config: %s\n", strerror(r));
        goto out;
    }
    if (domcfg_from_xlcfg(dc, &cfg, source, err) != 0)
        goto out;
    if (dc->type != DOMCFG_PV) {
        fprintf(err, "chaos: %s: type \"%s\" is not supported yet; chaos "
                "builds PV domains (type = \"pv\")\n", source,
                domcfg_type_name(dc->type));
        domcfg_dispose(dc);
        goto out;
    }
    rc = 0;
out:
    xlcfg_dispose(&cfg);
    return rc;
}

/* Reads the WHAT (kernel, ramdisk) named PATH: from FD when FD >= 0, else
 * opening PATH, or with CHECKED, opening it only as build_open_checked
 * allows. Its absolute path goes to *ABS (NULL if unknown). Both are
 * malloc'd, unless CACHE (NULL: none) holds them: then *CACHED is set and
 * they are the cache's, valid until its next put. */
static int read_image(const char *what, const char *path, int fd,
                      bool checked, struct imgcache *cache, void **data,
                      size_t *len, char **abs, bool *cached, FILE *err)
{
    struct stat st;
    struct timespec now;
    bool known = cache && fd >= 0 && fstat(fd, &st) == 0;
    int own = -1, r;

    *cached = known && imgcache_find(cache, &st, (const void **)data, len,
                                     (const char **)abs);
    if (*cached)
        return 0;
    if (fd < 0) {
        own = checked ? build_open_checked(path)
                      : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (own < 0) {
            r = errno;
            goto out;
        }
        fd = own;
    }
    r = build_read_fd(fd, data, len);
    if (!r) {
        *abs = build_fd_path(fd);
        if (known && clock_gettime(CLOCK_REALTIME, &now) == 0)
            *cached = imgcache_put(cache, &st, *data, *len, *abs, &now);
    }
out:
    if (r)
        fprintf(err, "chaos: cannot read the %s %s: %s\n", what, path,
                r == EINVAL ? "empty or not a regular file" : strerror(r));
    if (own >= 0)
        close(own);
    return r;
}

int ts_create_config(struct toolstack *ts, const char *source,
                     const char *config, size_t config_len,
                     const struct ts_files *files, bool paused,
                     uint32_t *domid, FILE *err)
{
    struct domcfg dc;
    struct build_image image = { 0 };
    void *kernel = NULL, *ramdisk = NULL;
    char *kernel_abs = NULL, *ramdisk_abs = NULL;
    const char *kernel_path, *ramdisk_path;
    int kernel_fd = -1, ramdisk_fd = -1;
    bool checked = files && files->checked, kernel_cached = false, unused;
    int rc, r;

    domcfg_init(&dc);
    rc = ts_parse_config(source, config, config_len, &dc, err);
    if (rc)
        goto out;
    rc = -ERROR_FAIL;
    if (dc.devices == DOMCFG_DEVICES_DEFAULT)
        dc.devices = ts->devices ? ts->devices : DOMCFG_DEVICES_NOXS;
    if (dc.n_vifs && dc.devices == DOMCFG_DEVICES_XENSTORE && !ts->xs) {
        fprintf(err, "chaos: %s: vifs with devices = \"xenstore\" need "
                "xenstored, which is not running; start it, or use devices "
                "= \"noxs\" (with noxsd)\n", source);
        goto out;
    }
    r = domcfg_make_macs(&dc);
    if (r) {
        fprintf(err, "chaos: %s: cannot make MAC addresses: %s\n", source,
                strerror(r));
        goto out;
    }
    kernel_path = dc.kernel;
    ramdisk_path = dc.ramdisk;
    if (files && files->n_fds) {
        if (files->n_fds != (dc.ramdisk ? 2u : 1u)) {
            fprintf(err, "chaos: the configuration needs %s, %zu file%s "
                    "came with it\n", dc.ramdisk ? "a kernel and a ramdisk"
                                                : "a kernel only",
                    files->n_fds, files->n_fds == 1 ? "" : "s");
            goto out;
        }
        kernel_fd = files->fds[0];
        ramdisk_fd = dc.ramdisk ? files->fds[1] : -1;
    } else if (checked) {
        /* A restart: the files the domain was first built from. */
        kernel_path = files->kernel_path ? files->kernel_path : dc.kernel;
        ramdisk_path = files->ramdisk_path ? files->ramdisk_path : dc.ramdisk;
    }
    if (read_image("kernel", kernel_path, kernel_fd, checked, ts->images,
                   &kernel, &image.kernel_len, &kernel_abs, &kernel_cached,
                   err))
        goto out;
    image.kernel = kernel;
    image.kernel_path = kernel_abs;
    if (dc.ramdisk) {
        if (read_image("ramdisk", ramdisk_path, ramdisk_fd, checked, NULL,
                       &ramdisk, &image.ramdisk_len, &ramdisk_abs, &unused,
                       err))
            goto out;
        image.ramdisk = ramdisk;
        image.ramdisk_path = ramdisk_abs;
    }
    r = ts_create(ts, &dc, &image, config, config_len, paused, domid, err);
    rc = r ? -r : 0;
out:
    if (!kernel_cached) {
        free(kernel);
        free(kernel_abs);
    }
    free(ramdisk);
    free(ramdisk_abs);
    domcfg_dispose(&dc);
    return rc;
}

/* The action DC asks for after a shutdown with REASON. */
static enum domcfg_action action_for(const struct domcfg *dc,
                                     unsigned int reason)
{
    switch (reason) {
    case SHUTDOWN_poweroff: return dc->on_poweroff;
    case SHUTDOWN_reboot: return dc->on_reboot;
    case SHUTDOWN_crash: return dc->on_crash;
    case SHUTDOWN_watchdog: return dc->on_watchdog;
    case SHUTDOWN_soft_reset: return dc->on_soft_reset;
    default: return DOMCFG_PRESERVE;    /* suspend: someone is saving it */
    }
}

/* Carries out DOMID's (INFO's) shutdown action, from its record. */
static void reap_one(struct toolstack *ts, const xc_domaininfo_t *info,
                     FILE *err)
{
    unsigned int reason = (info->flags >> XEN_DOMINF_shutdownshift) &
                          XEN_DOMINF_shutdownmask;
    struct state_domain rec;
    struct xlcfg cfg;
    struct domcfg dc;
    enum domcfg_action action = DOMCFG_PRESERVE;
    FILE *quiet = NULL;
    uint32_t domid = info->domain, new_domid;
    struct ts_files restart = { .checked = true };

    if (state_load(&ts->state, domid, &rec) != 0)
        return;                         /* not chaos's: xl's monitor */
    restart.kernel_path = rec.kernel_path;
    restart.ramdisk_path = rec.ramdisk_path;
    if (memcmp(rec.uuid, info->handle, sizeof(rec.uuid)) != 0)
        goto out_rec;
    xlcfg_init(&cfg);
    domcfg_init(&dc);
    quiet = fopen("/dev/null", "w");
    if (quiet && xlcfg_parse(&cfg, rec.name, rec.config, rec.config_len,
                             quiet) == 0 &&
        domcfg_from_xlcfg(&dc, &cfg, rec.name, quiet) == 0)
        action = action_for(&dc, reason);
    switch (action) {
    case DOMCFG_PRESERVE:
        break;
    case DOMCFG_DESTROY:
    case DOMCFG_COREDUMP_DESTROY:       /* chaos writes no core dumps */
        ts_destroy(ts, domid, err);
        break;
    case DOMCFG_RESTART:
    case DOMCFG_RENAME_RESTART:         /* the old domain is not kept */
    case DOMCFG_COREDUMP_RESTART:
    case DOMCFG_SOFT_RESET:
        if (ts_destroy(ts, domid, err) == 0 &&
            ts_create_config(ts, rec.name, rec.config, rec.config_len,
                             &restart, false, &new_domid, err) != 0)
            fprintf(err, "chaos: domain %u (%s) shut down to restart, but "
                    "could not be created again\n", domid, rec.name);
        break;
    }
    if (quiet)
        fclose(quiet);
    domcfg_dispose(&dc);
    xlcfg_dispose(&cfg);
out_rec:
    state_domain_free(&rec);
}

void ts_reap(struct toolstack *ts, FILE *err)
{
    xc_domaininfo_t *infos = NULL;
    bool locked = false;
    size_t n;

    if (ts_list(ts, &infos, &n) < 0)
        return;
    for (size_t i = 0; i < n; i++) {
        if (!(infos[i].flags & XEN_DOMINF_shutdown) ||
            (infos[i].flags & XEN_DOMINF_dying))
            continue;
        /* Under the create lock, and only if still so, so that two
         * commands never carry out the same action twice. */
        if (!locked) {
            if (state_lock(&ts->state) != 0)
                break;
            locked = true;
            free(infos);
            infos = NULL;
            if (ts_list(ts, &infos, &n) < 0)
                break;
            i = (size_t)-1;
            continue;
        }
        reap_one(ts, &infos[i], err);
    }
    if (locked)
        state_unlock(&ts->state);
    free(infos);
}

/* How long a guest has to take a shutdown request, as in libxl. */
#define ACK_TIMEOUT_MS 60000
#define ACK_POLL_MS 100

static bool domain_exists(struct toolstack *ts, uint32_t domid,
                          xc_domaininfo_t *info)
{
    return xc_domain_getinfolist(ts->xch, domid, 1, info) == 1 &&
           info->domain == domid;
}

int ts_shutdown(struct toolstack *ts, uint32_t domid, bool reboot,
                bool force, FILE *err)
{
    const char *request = reboot ? "reboot" : "poweroff";
    xc_domaininfo_t info;
    char path[64];

    if (!domain_exists(ts, domid, &info)) {
        fprintf(err, "chaos: domain %u does not exist\n", domid);
        return ERROR_FAIL;
    }
    if (force) {
        if (xc_domain_shutdown(ts->xch, domid, reboot ? SHUTDOWN_reboot
                                                       : SHUTDOWN_poweroff) < 0) {
            fprintf(err, "chaos: domain %u: cannot shut it down: %s\n",
                    domid, strerror(errno));
            return ERROR_FAIL;
        }
        return 0;
    }
    if (!ts->xs) {
        fprintf(err, "PV control interface not available: external graceful "
                "%s not possible.\n"
                "Use \"-F\" to make the hypervisor %s the domain.\n",
                reboot ? "reboot" : "shutdown",
                reboot ? "reboot" : "shut down");
        return ERROR_NOPARAVIRT;
    }
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", domid);
    if (!xs_write(ts->xs, XBT_NULL, path, request, strlen(request))) {
        fprintf(err, "chaos: domain %u: cannot write %s: %s\n", domid, path,
                strerror(errno));
        return ERROR_FAIL;
    }
    /* The guest takes the request by emptying or removing the node. */
    for (int waited = 0; waited < ACK_TIMEOUT_MS; waited += ACK_POLL_MS) {
        struct timespec tick = { 0, ACK_POLL_MS * 1000000L };
        unsigned int len;
        char *v = xs_read(ts->xs, XBT_NULL, path, &len);
        bool taken = !v || len == 0;

        free(v);
        if (taken || !domain_exists(ts, domid, &info) ||
            (info.flags & XEN_DOMINF_shutdown))
            return 0;
        nanosleep(&tick, NULL);
    }
    fprintf(err, "chaos: domain %u did not take the %s request within 60 s "
            "(has it PV drivers? -F makes the hypervisor do it)\n", domid,
            request);
    return ERROR_TIMEDOUT;
}
