/*
 * imgcache: chaosd's cache of the kernels clients pass, so that a create
 * of a kernel it has seen reads nothing: no copy of the file, no lookup of
 * its path. A file is known by its device, inode, size, and modification
 * and change times (fstat of the descriptor the client passed); a write
 * to it changes its change time, and the next create reads it again. The kernel keeps those times to a clock tick, so
 * that a write in the tick of the last one would leave them as they were:
 * a file changed less than IMGCACHE_SETTLED_S seconds ago is not kept.
 * Kernels of at most IMGCACHE_MAX_FILE bytes are kept, IMGCACHE_SLOTS of
 * them, the least recently used going first.
 *
 * Not thread-safe: chaosd's main thread alone uses it.
 */
#ifndef CHAOS_IMGCACHE_H
#define CHAOS_IMGCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

#define IMGCACHE_SLOTS 8
#define IMGCACHE_MAX_FILE (8u << 20)
#define IMGCACHE_SETTLED_S 2

struct imgcache_slot {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime, ctime;
    void *data;                 /* NULL: the slot is free */
    char *path;                 /* absolute, or NULL when unknown */
    unsigned long long used;    /* when last found or put, for LRU */
};

struct imgcache {
    struct imgcache_slot slots[IMGCACHE_SLOTS];
    unsigned long long clock;
};

/* Finds the file ST describes. On a hit, *DATA, *LEN and *PATH point
 * into the cache (valid until the next imgcache_put or imgcache_clear)
 * and it returns true. */
bool imgcache_find(struct imgcache *c, const struct stat *st,
                   const void **data, size_t *len, const char **path);

/*
 * Gives the cache DATA (LEN bytes) and PATH (NULL when unknown), both
 * malloc'd, read from the file ST describes, replacing the least recently
 * used slot. Returns true when the cache took them (it frees them when it
 * lets them go); false, taking nothing, when ST is not a regular file of
 * LEN bytes, LEN is over IMGCACHE_MAX_FILE, or the file changed less than
 * IMGCACHE_SETTLED_S seconds before NOW (CLOCK_REALTIME).
 */
bool imgcache_put(struct imgcache *c, const struct stat *st, void *data,
                  size_t len, char *path, const struct timespec *now);

/* Frees every slot. */
void imgcache_clear(struct imgcache *c);

#endif
