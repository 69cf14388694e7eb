/*
 * state: chaos's own record of the domains it created, kept in a folder
 * (default /run/chaos; the CHAOS_STATE_DIR environment variable or the
 * daemon's configuration may name another). It is the name registry when
 * xenstored does not run, and always holds what a later command needs:
 * its console and store rings and the configuration it was made from
 * (which also gives its shutdown actions).
 *
 * Layout: DIR/domains/<domid>, one file per domain, written in place (see
 * state_save); DIR/names/<name in hex>, a symbolic link
 * whose target is the domid that has that name, so that finding a name costs one file, not one per
 * domain; DIR/lock serialises creates so that two of them cannot take the
 * same name. Each record carries the domain's
 * UUID, so a record left behind by a domain that is gone (destroyed by
 * another tool) is recognised even when Xen has reused its domid.
 */
#ifndef CHAOS_STATE_H
#define CHAOS_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STATE_DEFAULT_DIR "/run/chaos"

struct state {
    char *dir;                  /* the state folder */
    int lock_fd;                /* DIR/lock, open while the state is */
    int lock_depth;             /* nested state_lock calls; 0: unlocked */
};

struct state_domain {
    uint32_t domid;
    char *name;
    uint8_t uuid[16];
    uint64_t console_mfn, store_mfn;
    uint32_t console_port, store_port;
    char *config;               /* the configuration text it was made from */
    size_t config_len;
    char *kernel_path;          /* absolute paths of the files it was */
    char *ramdisk_path;         /* built from (NULL: none recorded) */
};

/* Opens the state folder DIR (NULL: CHAOS_STATE_DIR or the default),
 * creating it (mode 0700) when missing, and keeps its lock file open.
 * Returns 0 or an errno value. */
int state_open(struct state *st, const char *dir);
void state_close(struct state *st);

/* Takes (or releases) the create lock, waiting for it; nested calls in
 * one process count, the lock goes at the last release. 0 or errno. */
int state_lock(struct state *st);
void state_unlock(struct state *st);

/* Writes D's record, replacing any earlier one, in place: the caller
 * keeps D's domain marked (build_mark) until this returns, and readers
 * take a record only when its UUID is its domain's handle, so that none
 * takes one part written; a chaos killed meanwhile leaves a marked
 * domain, destroyed as debris, and the record of a gone domain,
 * forgotten. 0 or errno. */
int state_save(struct state *st, const struct state_domain *d);

/* Reads the record of DOMID into D (to be freed with state_domain_free).
 * Returns 0, ENOENT when there is none, EINVAL when it is corrupt. */
int state_load(struct state *st, uint32_t domid, struct state_domain *d);

/* The domid recorded under NAME: 0, or ENOENT. The caller checks that the
 * domain still lives (state_load gives its UUID). */
int state_find_name(struct state *st, const char *name, uint32_t *domid);

/* Removes the record of DOMID and its name; missing ones are no error. */
int state_remove(struct state *st, uint32_t domid);

/* The domids that have a record, in ascending order, malloc'd into
 * *DOMIDS_OUT. Returns 0 or errno. */
int state_list(struct state *st, uint32_t **domids_out, size_t *n_out);

void state_domain_free(struct state_domain *d);

/* Orders two uint32_t domids, for qsort and bsearch. */
int state_cmp_domid(const void *a, const void *b);

#endif
