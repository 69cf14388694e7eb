/*
 * reaper: a thread that finishes destroys off the request path, so that
 * chaosd answers a destroy once the domain can no longer run (paused, its
 * devices gone, marked as debris: ts_destroy_begin) and not after Xen has
 * taken back its memory, which is most of a destroy's time.
 *
 * Domains are reaped in the order they were added, one at a time, by the
 * REAP function given to reaper_start, called on the reaper's thread.
 * What REAP touches must be safe to use from that thread beside the
 * caller's: a libxenctrl handle is; a libxenstore one is not (Debian's
 * static libxenstore is built without its locks).
 */
#ifndef CHAOS_REAPER_H
#define CHAOS_REAPER_H

#include <stdbool.h>
#include <stdint.h>

struct reaper;

typedef void reaper_fn(void *ctx, uint32_t domid);

/* Starts the reaper's thread. NULL with errno set when it cannot. */
struct reaper *reaper_start(reaper_fn *reap, void *ctx);

/* Queues DOMID for REAP and returns at once. -1 (ENOMEM) when it cannot
 * be queued: the caller reaps it itself. */
int reaper_add(struct reaper *r, uint32_t domid);

/* Whether DOMID is queued or being reaped. */
bool reaper_has(struct reaper *r, uint32_t domid);

/* Reaps every domain still queued, then stops the thread and frees R.
 * NULL is no reaper. */
void reaper_stop(struct reaper *r);

#endif
