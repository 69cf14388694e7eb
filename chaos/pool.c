/*
 * pool: chaosd's pools of shells. See pool.h.
 *
 * One mutex guards every pool's counters and ready shells; the refill
 * thread holds it only to pick a pool and to add the shell it made, never
 * while it makes one, so pool_take never waits for a build.
 */
#include "pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xsreg.h"

/* After a failed build, the refill thread waits this long (or for a kick)
 * before it tries again. */
#define RETRY_MS 1000
/* The refill thread starts a shell only once chaosd has served no request
 * for this long, unless a pool is down to a quarter: shells made beside a
 * create slow it down (both threads map and unmap Xen memory in one
 * address space, and the emulated host has two CPUs). */
#define QUIET_MS 100

struct pool_one {
    struct pool_spec spec;
    struct build_shell *ready;          /* spec.size slots */
    unsigned int n_ready;
    uint32_t *guests;                   /* running guests made from it */
    size_t n_guests, cap_guests;
    unsigned long long made, missed;
    double build_seconds;               /* spent making the MADE shells */
};

struct pool {
    xc_interface *xch;
    bool xenstore;
    pool_made_fn *made;
    void *made_ctx;
    void (*log)(const char *fmt, ...);
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping, kicked;
    bool idle;                          /* refill waits with no deadline */
    unsigned int busy;                  /* requests being served */
    double quiet_since;                 /* when the last one ended */
    pthread_t thread;
    struct pool_one *pools;
    size_t n;
    unsigned long long missed_other;    /* creates with no pool of their shape */
    uint64_t budget_kb;                 /* 0: no budget */
    uint64_t held_kb;                   /* in ready shells and the one being
                                           made */
};

static int parse_mem(const char *s, char **end, uint64_t *kb)
{
    unsigned long long v;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoull(s, end, 10);
    if (errno || v == 0)
        return -1;
    if (**end == 'M' || **end == 'm') {
        (*end)++;
    } else if (**end == 'G' || **end == 'g') {
        (*end)++;
        if (v > (1ULL << 44))
            return -1;
        v *= 1024;
    } else {
        return -1;
    }
    if (v > (1ULL << 30))
        return -1;
    *kb = v * 1024;
    return 0;
}

int pool_parse_memory(const char *text, uint64_t *kb, const char **why)
{
    char *end;

    if (parse_mem(text, &end, kb) < 0 || *end) {
        *why = "expected a memory size such as 512M or 2G";
        return -1;
    }
    return 0;
}

int pool_parse(const char *text, struct pool_spec *specs, const char **why)
{
    const char *s = text;
    int n = 0;

    while (*s == ' ')
        s++;
    if (!*s)
        return 0;
    for (;;) {
        struct pool_spec sp = { .shape.max_vcpus = 1 };
        unsigned long long v;
        char *end;

        if (n == POOL_MAX_SPECS) {
            *why = "too many pools (at most 16)";
            return -1;
        }
        if (parse_mem(s, &end, &sp.shape.target_kb) < 0) {
            *why = "expected a memory size such as 8M or 1G";
            return -1;
        }
        sp.shape.max_kb = sp.shape.target_kb;
        s = end;
        if (*s == '/') {
            s++;
            errno = 0;
            v = (*s >= '0' && *s <= '9') ? strtoull(s, &end, 10) : 0;
            if (errno || v == 0 || v > 128) {
                *why = "expected a vcpu count from 1 to 128 after '/'";
                return -1;
            }
            sp.shape.max_vcpus = (uint32_t)v;
            s = end;
        }
        if (*s != ':') {
            *why = "expected ':' and a pool size after the memory size";
            return -1;
        }
        s++;
        errno = 0;
        v = (*s >= '0' && *s <= '9') ? strtoull(s, &end, 10) : 0;
        if (errno || v == 0 || v > POOL_MAX_SIZE) {
            *why = "expected a pool size from 1 to 4096 after ':'";
            return -1;
        }
        sp.size = (unsigned int)v;
        s = end;
        for (int i = 0; i < n; i++) {
            if (build_shape_equal(&specs[i].shape, &sp.shape)) {
                *why = "the same shape is given twice";
                return -1;
            }
        }
        specs[n++] = sp;
        while (*s == ' ')
            s++;
        if (!*s)
            return n;
        if (*s != ',') {
            *why = "expected ',' between pools";
            return -1;
        }
        s++;
        while (*s == ' ')
            s++;
    }
}

bool pool_is_shell(const uint8_t handle[16])
{
    return build_is_marked(handle);
}

/* Seconds on CLOCK (CLOCK_MONOTONIC to time a shell's making; the coarse
 * one, read without a system call, for the quiet after requests). */
static double seconds(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The CLOCK_REALTIME time MS milliseconds from now, for
 * pthread_cond_timedwait. */
static struct timespec deadline_in(long ms)
{
    struct timespec t;

    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

/* Destroys SHELL and, with XENSTORE, its name there. */
static void discard(xc_interface *xch, bool xenstore, struct build_shell *sh,
                    void (*log)(const char *fmt, ...))
{
    char *text = NULL;
    size_t len = 0;
    FILE *err = open_memstream(&text, &len);

    /* Its entries first: a chaosd killed in between leaves a marked
     * domain, which the next one destroys, rather than entries nobody
     * owns. */
    if (xenstore)
        xsreg_unmark_shell(sh->domid);
    build_shell_discard(xch, sh, err ? err : stderr);
    if (err) {
        fclose(err);
        if (len)
            log("%s", text);
    }
    free(text);
}

/* The pool furthest from full (lowest fill ratio) whose next shell fits
 * the budget, or NULL. Called with the lock held. */
static struct pool_one *neediest(struct pool *p)
{
    struct pool_one *best = NULL;

    for (size_t i = 0; i < p->n; i++) {
        struct pool_one *o = &p->pools[i];

        if (o->n_ready >= o->spec.size ||
            (p->budget_kb &&
             p->held_kb + o->spec.shape.target_kb > p->budget_kb))
            continue;
        if (!best || (double)o->n_ready / o->spec.size <
                     (double)best->n_ready / best->spec.size)
            best = o;
    }
    return best;
}

/* Whether refill should be woken: it waits with no deadline while a pool
 * lacks shells, or a pool ran low (refill waiting for quiet looks again by
 * itself within QUIET_MS, which is soon enough otherwise). Called with the
 * lock held. */
static bool wake_wanted(struct pool *p)
{
    struct pool_one *o = neediest(p);

    return o && (p->idle || 4 * o->n_ready <= o->spec.size);
}

static void *refill(void *arg)
{
    struct pool *p = arg;
    bool failing = false;

    pthread_mutex_lock(&p->lock);
    while (!p->stopping) {
        struct pool_one *o = neediest(p);
        struct build_shape shape;
        struct build_shell sh;
        uint8_t handle[16];
        char *text = NULL;
        size_t len = 0;
        FILE *err;
        double t0;
        int rc;

        if (!o) {
            p->kicked = false;
            p->idle = true;
            pthread_cond_wait(&p->wake, &p->lock);
            p->idle = false;
            continue;
        }
        if (4 * o->n_ready > o->spec.size &&
            (p->busy ||
             seconds(CLOCK_MONOTONIC_COARSE) - p->quiet_since <
                 QUIET_MS / 1e3)) {
            struct timespec until = deadline_in(QUIET_MS);

            pthread_cond_timedwait(&p->wake, &p->lock, &until);
            continue;
        }
        shape = o->spec.shape;
        p->held_kb += shape.target_kb;
        pthread_mutex_unlock(&p->lock);

        build_mark(handle);
        err = open_memstream(&text, &len);
        t0 = seconds(CLOCK_MONOTONIC);
        rc = err ? build_shell_make(p->xch, &shape, handle, "a chaosd shell",
                                    &sh, err)
                 : -1;
        if (err)
            fclose(err);
        if (rc == 0 && p->xenstore && xsreg_mark_shell(sh.domid) != 0)
            p->log("chaosd: shell domain %u: cannot name it in xenstore\n",
                   sh.domid);
        if (rc == 0 && p->made)
            p->made(p->made_ctx, &sh);

        pthread_mutex_lock(&p->lock);
        if (rc == 0) {
            o->made++;
            o->build_seconds += seconds(CLOCK_MONOTONIC) - t0;
            if (failing)
                p->log("chaosd: making shells again\n");
            failing = false;
            if (p->stopping || o->n_ready >= o->spec.size) {
                p->held_kb -= shape.target_kb;
                pthread_mutex_unlock(&p->lock);
                discard(p->xch, p->xenstore, &sh, p->log);
                pthread_mutex_lock(&p->lock);
            } else {
                o->ready[o->n_ready++] = sh;
            }
        } else {
            struct timespec until = deadline_in(RETRY_MS);

            p->held_kb -= shape.target_kb;
            if (!failing)
                p->log("chaosd: cannot make a shell of %llu MiB: %s"
                       "chaosd: will retry when memory comes back\n",
                       (unsigned long long)(shape.target_kb / 1024),
                       text && len ? text : "out of memory\n");
            failing = true;
            p->kicked = false;
            while (!p->stopping && !p->kicked &&
                   pthread_cond_timedwait(&p->wake, &p->lock, &until) == 0)
                ;
        }
        free(text);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

struct pool *pool_start(xc_interface *xch, const struct pool_spec *specs,
                        size_t n, uint64_t budget_kb, bool xenstore,
                        pool_made_fn *made, void *made_ctx,
                        void (*log)(const char *fmt, ...))
{
    struct pool *p = calloc(1, sizeof(*p));

    if (!p)
        return NULL;
    p->xch = xch;
    p->budget_kb = budget_kb;
    p->xenstore = xenstore;
    p->made = made;
    p->made_ctx = made_ctx;
    p->log = log;
    p->n = n;
    p->pools = calloc(n ? n : 1, sizeof(*p->pools));
    if (!p->pools)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        p->pools[i].spec = specs[i];
        p->pools[i].ready = calloc(specs[i].size, sizeof(struct build_shell));
        if (!p->pools[i].ready)
            goto fail;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    if (pthread_create(&p->thread, NULL, refill, p) != 0) {
        pthread_cond_destroy(&p->wake);
        pthread_mutex_destroy(&p->lock);
        goto fail;
    }
    return p;
fail:
    for (size_t i = 0; p->pools && i < n; i++)
        free(p->pools[i].ready);
    free(p->pools);
    free(p);
    return NULL;
}

static struct pool_one *find(struct pool *p, const struct build_shape *shape)
{
    for (size_t i = 0; i < p->n; i++)
        if (build_shape_equal(&p->pools[i].spec.shape, shape))
            return &p->pools[i];
    return NULL;
}

bool pool_take(struct pool *p, const struct build_shape *shape,
               struct build_shell *out)
{
    struct pool_one *o;
    bool got = false;

    pthread_mutex_lock(&p->lock);
    o = find(p, shape);
    if (!o) {
        p->missed_other++;
    } else if (o->n_ready == 0) {
        o->missed++;
    } else {
        *out = o->ready[--o->n_ready];
        p->held_kb -= o->spec.shape.target_kb;   /* the guest's now */
        got = true;
        /* Inside a request, pool_request wakes refill once the reply is
         * out: a wakeup on the other CPU costs the create its time. */
        if (!p->busy && wake_wanted(p))
            pthread_cond_signal(&p->wake);
    }
    pthread_mutex_unlock(&p->lock);
    return got;
}

void pool_note_guest(struct pool *p, const struct build_shape *shape,
                     uint32_t domid)
{
    struct pool_one *o;

    pthread_mutex_lock(&p->lock);
    o = find(p, shape);
    if (o && o->n_guests == o->cap_guests) {
        size_t cap = o->cap_guests ? 2 * o->cap_guests : 16;
        uint32_t *g = realloc(o->guests, cap * sizeof(*g));

        if (g) {
            o->guests = g;
            o->cap_guests = cap;
        }
    }
    if (o && o->n_guests < o->cap_guests)
        o->guests[o->n_guests++] = domid;
    pthread_mutex_unlock(&p->lock);
}

void pool_retain(struct pool *p, const xc_domaininfo_t *infos, size_t n)
{
    pthread_mutex_lock(&p->lock);
    for (size_t i = 0; i < p->n; i++) {
        struct pool_one *o = &p->pools[i];

        for (size_t j = 0; j < o->n_guests;) {
            bool alive = false;

            for (size_t k = 0; k < n && !alive; k++)
                alive = infos[k].domain == o->guests[j] &&
                        !(infos[k].flags & XEN_DOMINF_dying);
            if (alive)
                j++;
            else
                o->guests[j] = o->guests[--o->n_guests];
        }
    }
    pthread_mutex_unlock(&p->lock);
}

void pool_request(struct pool *p, bool begins)
{
    pthread_mutex_lock(&p->lock);
    if (begins) {
        p->busy++;
    } else if (p->busy) {
        p->busy--;
        p->quiet_since = seconds(CLOCK_MONOTONIC_COARSE);
        if (!p->busy && wake_wanted(p))
            pthread_cond_signal(&p->wake);
    }
    pthread_mutex_unlock(&p->lock);
}

void pool_kick(struct pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->kicked = true;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
}

void pool_print(struct pool *p, FILE *out)
{
    fprintf(out, "%-8s %5s %5s %5s %6s %6s %6s %8s\n", "Memory", "VCPUs",
            "Size", "Ready", "In use", "Made", "Missed", "Refill/s");
    pthread_mutex_lock(&p->lock);
    for (size_t i = 0; i < p->n; i++) {
        const struct pool_one *o = &p->pools[i];
        char mem[24];

        snprintf(mem, sizeof(mem), "%lluM",
                 (unsigned long long)(o->spec.shape.target_kb / 1024));
        fprintf(out, "%-8s %5u %5u %5u %6zu %6llu %6llu ", mem,
                o->spec.shape.max_vcpus, o->spec.size, o->n_ready,
                o->n_guests, o->made, o->missed);
        if (o->made && o->build_seconds > 0)
            fprintf(out, "%8.1f\n", (double)o->made / o->build_seconds);
        else
            fprintf(out, "%8s\n", "-");
    }
    fprintf(out, "creates with no pool of their shape: %llu\n",
            p->missed_other);
    fprintf(out, "memory in shells: %llu MiB", (unsigned long long)(
            p->held_kb / 1024));
    if (p->budget_kb)
        fprintf(out, " of a %llu MiB budget\n",
                (unsigned long long)(p->budget_kb / 1024));
    else
        fprintf(out, " (no budget: chaosd --pool-memory)\n");
    pthread_mutex_unlock(&p->lock);
}

void pool_stop(struct pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    for (size_t i = 0; i < p->n; i++) {
        struct pool_one *o = &p->pools[i];

        while (o->n_ready)
            discard(p->xch, p->xenstore, &o->ready[--o->n_ready], p->log);
        free(o->ready);
        free(o->guests);
    }
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    free(p->pools);
    free(p);
}

unsigned int pool_discard_strays(xc_interface *xch,
                                 const xc_domaininfo_t *infos, size_t n_infos,
                                 bool xenstore,
                                 void (*log)(const char *fmt, ...))
{
    unsigned int n = 0;

    for (size_t i = 0; i < n_infos; i++) {
        struct build_shell sh = { .domid = infos[i].domain };

        if (!pool_is_shell(infos[i].handle))
            continue;
        if (infos[i].flags & XEN_DOMINF_dying) {
            if (xenstore)               /* destroyed, not yet cleaned up */
                xsreg_unmark_shell(sh.domid);
            continue;
        }
        log("chaosd: destroying domain %u, a shell or a half-built "
            "domain left behind\n", sh.domid);
        discard(xch, xenstore, &sh, log);
        n++;
    }
    return n;
}
