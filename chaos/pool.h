/*
 * pool: chaosd's pools of shells (see build.h), one per shape, kept full
 * by a thread of their own so that no create waits for one to be made.
 *
 * A shell is marked (build_mark), so that chaos list, xl list -v and a
 * restarted chaosd tell shells from guests; when xenstored runs, a shell
 * is also named "chaos-shell-DOMID" there. Shells are chaosd's alone: a
 * marked domain found at its start is destroyed (pool_discard_strays).
 */
#ifndef CHAOS_POOL_H
#define CHAOS_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <xenctrl.h>

#include "build.h"

/* One pool: SIZE shells of SHAPE. */
struct pool_spec {
    struct build_shape shape;
    unsigned int size;
};

#define POOL_MAX_SPECS 16
#define POOL_MAX_SIZE 4096

/*
 * Parses TEXT, a comma-separated list of MEM[/VCPUS]:SIZE items ("8M:32,
 * 64M/2:8"; MEM in MiB with an M or G suffix; VCPUS 1 when left out), into
 * SPECS (room for POOL_MAX_SPECS). An empty TEXT is no pools. Returns the
 * number of specs, or -1 with *WHY saying what is wrong.
 */
int pool_parse(const char *text, struct pool_spec *specs, const char **why);

/* Parses TEXT, a memory size such as "512M" or "2G", into *KB. Returns 0,
 * or -1 with *WHY saying what is wrong. */
int pool_parse_memory(const char *text, uint64_t *kb, const char **why);

/* Whether HANDLE (a domain's Xen handle) marks a shell (or a domain still
 * being built: build_is_marked). */
bool pool_is_shell(const uint8_t handle[16]);

struct pool;

/* Called by the refill thread with each shell it makes, before any create
 * can take it, and without the pools' lock held. */
typedef void pool_made_fn(void *ctx, const struct build_shell *shell);

/*
 * Starts the pools of SPECS (N of them) and their refill thread, which
 * makes shells through XCH (shared; libxenctrl handles are thread-safe)
 * and, when XENSTORE, names them in xenstore. With BUDGET_KB (0: none),
 * the shells ready or being made hold at most that much memory together:
 * a taken shell's memory is its guest's, and leaves the budget. With
 * MADE, calls MADE(MADE_CTX, shell) for each shell made (the shell may
 * yet be destroyed unused: the pool full, or stopping). Logs through LOG
 * (a printf-like function that may be called from the refill thread).
 * NULL when out of memory or the thread cannot start.
 */
struct pool *pool_start(xc_interface *xch, const struct pool_spec *specs,
                        size_t n, uint64_t budget_kb, bool xenstore,
                        pool_made_fn *made, void *made_ctx,
                        void (*log)(const char *fmt, ...));

/* Takes a ready shell of SHAPE into OUT and returns true; false (and
 * counts a miss) when that pool is empty or there is none of SHAPE. */
bool pool_take(struct pool *p, const struct build_shape *shape,
               struct build_shell *out);

/* Records that the guest DOMID, made from a shell of SHAPE (taken from
 * this pool), is running, until pool_retain finds it gone. */
void pool_note_guest(struct pool *p, const struct build_shape *shape,
                     uint32_t domid);

/* Forgets the guests that are not among the N live domains INFOS. */
void pool_retain(struct pool *p, const xc_domaininfo_t *infos, size_t n);

/* Tells the pools that chaosd begins (BEGINS) or ends serving a request:
 * shells are made in the pauses between requests, unless a pool runs low,
 * and the refill thread is woken only once no request is being served. */
void pool_request(struct pool *p, bool begins);

/* Wakes the refill thread: memory may have come back. */
void pool_kick(struct pool *p);

/* Prints one line per pool: shape, size, ready, in use, made, misses,
 * and how many shells a second the refill thread makes; then the creates
 * no pool served and the memory in shells against the budget. */
void pool_print(struct pool *p, FILE *out);

/* Stops the refill thread and destroys every ready shell. */
void pool_stop(struct pool *p);

/* Destroys every marked domain among the N_INFOS domains INFOS (shells
 * and half-built domains an earlier chaosd or chaos left) and its
 * xenstore entries. Returns how many. */
unsigned int pool_discard_strays(xc_interface *xch,
                                 const xc_domaininfo_t *infos, size_t n_infos,
                                 bool xenstore,
                                 void (*log)(const char *fmt, ...));

#endif
