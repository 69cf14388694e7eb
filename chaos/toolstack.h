/*
 * toolstack: chaos's operations on domains, shared by the command line
 * (direct mode) and, later, the daemon: finding domains by name or id,
 * listing them with their names, creating and destroying them.
 *
 * Names come from xenstore when xenstored runs (so domains made by xl are
 * seen too), else from chaos's state folder.
 */
#ifndef CHAOS_TOOLSTACK_H
#define CHAOS_TOOLSTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <xenctrl.h>
#include <xenstore.h>

#include "aside.h"
#include "build.h"
#include "domcfg.h"
#include "state.h"

/* libxl's error codes, which xl prints and turns into exit statuses. */
#define ERROR_FAIL (-3)
#define ERROR_INVAL (-6)
#define ERROR_TIMEDOUT (-9)
#define ERROR_NOPARAVIRT (-10)
#define ERROR_DOMAIN_NOTFOUND (-21)

struct pool;

struct toolstack {
    xc_interface *xch;
    struct xs_handle *xs;       /* NULL when xenstored does not run */
    struct state state;
    struct pool *pool;          /* chaosd's shells; NULL in direct mode */
    struct imgcache *images;    /* chaosd's kernels; NULL in direct mode */
    /* chaosd's: a create from a shell writes the record there while the
     * image boots. NULL in direct mode: the record is written after. */
    struct aside *aside;
    /* When set (chaosd's console server), called by ts_create with each
     * domain it made, built and recorded, before the domain first runs. */
    void (*made)(void *ctx, const struct state_domain *rec);
    void *made_ctx;
    /* The device model of configs that name none (devices = ...);
     * DOMCFG_DEVICES_DEFAULT means NOXS. chaosd's --devices sets it. */
    enum domcfg_devices devices;
};

/* Opens the Xen control interface, xenstored's socket if it answers, and
 * the state folder. Prints why on ERR and returns -1 on failure. */
int ts_open(struct toolstack *ts, FILE *err);
void ts_close(struct toolstack *ts);

/* Every domain, in domid order, malloc'd into *INFOS. 0 or -1 (errno). */
int ts_list(struct toolstack *ts, xc_domaininfo_t **infos, size_t *n);

/* The name of the domain INFO, malloc'd; NULL when it has none. It is
 * xenstore's when xenstored runs and has one, else the one in chaos's
 * state record (a domain chaos made while xenstored was not running). */
char *ts_name(struct toolstack *ts, const xc_domaininfo_t *info);

/* The names of the N domains INFOS into NAMES (each malloc'd or NULL), as
 * ts_name gives them, with xenstore read in one round trip. */
void ts_names(struct toolstack *ts, const xc_domaininfo_t *infos, size_t n,
              char **names);

/*
 * Removes the state records of domains that are gone (a record whose
 * domid Xen reused is told apart by its UUID where it is read), and their
 * xenstore entries, under the create lock. INFOS (N) are every domain,
 * listed while the caller held the create lock; with INFOS NULL it lists
 * them itself. With RECS_OUT, gives the domids of the records kept,
 * ascending and malloc'd. Returns 0 or -1.
 */
int ts_forget_gone(struct toolstack *ts, const xc_domaininfo_t *infos,
                   size_t n, uint32_t **recs_out, size_t *n_recs_out);

/* The domid of the domain named NAME: 0, or -1 when there is none. */
int ts_name_to_domid(struct toolstack *ts, const char *name,
                     uint32_t *domid);

/*
 * Resolves DOM as xl's find_domain does: all digits (or empty) is a domid,
 * not checked for existence; anything else is a name. Prints xl's message
 * and returns -1 when no domain has that name.
 */
int ts_find_domain(struct toolstack *ts, const char *dom, uint32_t *domid,
                   FILE *err);

/*
 * Resolves DOM for xl destroy (as ts_find_domain does) and refuses domain
 * 0 unless FORCE, with xl's messages on ERR: returns 0 with *DOMID set, or
 * -1 after saying why.
 */
int ts_find_destroyable(struct toolstack *ts, const char *dom, bool force,
                        uint32_t *domid, FILE *err);

/*
 * Creates the domain DC from IMAGE; CONFIG (CONFIG_LEN bytes) is the text
 * it was parsed from, kept in the state folder. Checks that the name is
 * free and that Xen has the memory, builds the domain (in a shell from
 * TS's pool when one of its shape is ready), registers it
 * (xenstore and state) and unpauses it unless PAUSED. Returns 0 with its
 * domid in *DOMID, or a libxl error code after printing why on ERR, with
 * nothing left behind.
 */
int ts_create(struct toolstack *ts, const struct domcfg *dc,
              const struct build_image *image, const char *config,
              size_t config_len, bool paused, uint32_t *domid, FILE *err);

/*
 * Reads the configuration text CONFIG (CONFIG_LEN bytes, named SOURCE in
 * messages) into DC, which must be empty, as xl does, and refuses types
 * chaos cannot build. Returns 0, or 1 (xl's exit status for a bad
 * configuration) after printing why on ERR.
 */
int ts_parse_config(const char *source, const char *config,
                    size_t config_len, struct domcfg *dc, FILE *err);

/* Where ts_create_config gets the kernel and ramdisk from. */
struct ts_files {
    const int *fds;             /* N_FDS descriptors: the kernel, then the */
    size_t n_fds;               /* ramdisk when the configuration has one */
    bool checked;               /* with no descriptors: open only what
                                 * build_open_checked allows */
    const char *kernel_path;    /* with CHECKED: open these rather than */
    const char *ramdisk_path;   /* the configuration's (NULL: its own) */
};

/*
 * Creates a domain from the configuration text CONFIG (CONFIG_LEN bytes,
 * named SOURCE in messages): parses it as xl does, reads the kernel and
 * ramdisk as FILES says (NULL: opening the paths the configuration names,
 * as the caller), and calls ts_create; the domain's record keeps the
 * files' absolute paths for a restart. Returns 0 with the domid in
 * *DOMID, or xl's exit status for the failure (1 for a bad configuration,
 * 3 when the domain cannot be made) after printing why on ERR.
 */
int ts_create_config(struct toolstack *ts, const char *source,
                     const char *config, size_t config_len,
                     const struct ts_files *files, bool paused,
                     uint32_t *domid, FILE *err);

/*
 * Carries out the on_poweroff / on_reboot / on_crash / on_watchdog /
 * on_soft_reset action of every chaos domain that has shut down, as xl's
 * per-domain monitor would have: destroy, restart (destroy, then create
 * again from the same configuration) or preserve. chaos in direct mode has
 * no monitor process, so every command calls this first. Problems go to
 * ERR; the caller's command goes on regardless.
 */
void ts_reap(struct toolstack *ts, FILE *err);

/*
 * Asks DOMID to power off (or, with REBOOT, to reboot). With FORCE, makes
 * the hypervisor shut it down at once with that reason, as if the guest
 * had asked. Otherwise writes the request to its control/shutdown node
 * and waits up to 60 s for the guest to take it, as libxl does; without
 * xenstored a guest has no such channel (ERROR_NOPARAVIRT). Returns 0 or a
 * libxl error code after printing why on ERR.
 */
int ts_shutdown(struct toolstack *ts, uint32_t domid, bool reboot,
                bool force, FILE *err);

/* Destroys DOMID and removes its xenstore entries and state record.
 * Returns 0 or a libxl error code after printing why on ERR. */
int ts_destroy(struct toolstack *ts, uint32_t domid, FILE *err);

/*
 * ts_destroy in two steps, for chaosd to answer between them.
 *
 * ts_destroy_begin ends DOMID (INFO, as Xen listed it) as a guest: pauses
 * it, has noxsd let go of its devices, then marks its handle
 * (build_remark), which frees its name at once (a create checks the
 * record's UUID against the handle), hides it from chaos list, and makes
 * a chaosd that starts destroy it should this one die before the second
 * step. The caller then removes its record (state_remove). 0, or a libxl
 * error code after printing why on ERR; on error DOMID is still a guest.
 *
 * ts_destroy_finish destroys DOMID in Xen, which takes back its memory,
 * then removes its xenstore entries. It uses TS's libxenctrl handle and
 * a xenstore connection of its own (TS's libxenstore handle is not safe
 * to share between threads), so it may run on another thread. 0 or
 * ERROR_FAIL after printing why on ERR.
 */
int ts_destroy_begin(struct toolstack *ts, const xc_domaininfo_t *info,
                     FILE *err);
int ts_destroy_finish(struct toolstack *ts, uint32_t domid, FILE *err);

#endif
