/*
 * xsreg: the xenstore entries of a chaos domain.
 *
 * When xenstored runs, chaos writes what libxl's domain-make, build-post
 * and console-add write for a PV domain with a console and no other
 * devices, so that xl list / destroy / console, xenconsoled and xenstored
 * treat the domain as one of theirs; and removes them on destroy.
 */
#ifndef CHAOS_XSREG_H
#define CHAOS_XSREG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <xenstore.h>

#include "build.h"
#include "domcfg.h"

/* Connects to xenstored; NULL (at once, never blocking) when no xenstored
 * listens on its socket in this domain. A xenstore stub domain, reached
 * only through /dev/xen/xenbus, is not detected. */
struct xs_handle *xsreg_open(void);

/*
 * Writes DC's domain BR (UUID) into xenstore in one transaction, then
 * introduces it to xenstored. On failure prints why on ERR, removes what
 * it wrote and returns -1; else 0.
 */
int xsreg_add(const struct domcfg *dc, const uint8_t uuid[16],
              const struct build_result *br, FILE *err);

/* Removes every entry of DOMID that xsreg_add (or libxl) writes, on a
 * connection of its own (any thread may call it). 0 or -1 after printing
 * why on ERR. */
int xsreg_remove(uint32_t domid, FILE *err);

/* The name of DOMID, malloc'd, or NULL when it has none. */
char *xsreg_name(struct xs_handle *xs, uint32_t domid);

/* The names of the N domains DOMIDS, in one round trip: NAMES[i] is
 * malloc'd, or NULL when domain i has none. Returns 0 or an errno value. */
int xsreg_names(const uint32_t *domids, size_t n, char **names);

/*
 * Removes the entries of domains that are gone: /local/domain/N (and
 * libxl's /libxl/N and console backend) for every N among DIRS (NUM
 * names, from xsreg_domain_dirs) not among the N_LIVE domids LIVE (which
 * it sorts). LIVE must be listed after DIRS was read: a domain's entries
 * are written only once it exists, so none of a domain being made is
 * taken for debris. Such debris appears when a daemon writes into a
 * domain's folder after its toolstack removed it (xenconsoled's
 * console/tty, for a domain destroyed just after it was made). Returns
 * how many domains' entries it removed.
 */
char **xsreg_domain_dirs(struct xs_handle *xs, unsigned int *num);
int xsreg_sweep(char **dirs, unsigned int num, uint32_t *live, size_t n_live);

/* Names the shell DOMID "chaos-shell-DOMID" in xenstore, so that xl list
 * tells it from a guest; unmark removes its entries. Each opens its own
 * connection (any thread may call them). 0 or an errno value. */
int xsreg_mark_shell(uint32_t domid);
int xsreg_unmark_shell(uint32_t domid);

/*
 * Opens a connection of its own to xenstored that watches @releaseDomain
 * and carries nothing else, so its descriptor turns readable when a domain
 * dies or shuts down. Not libxenstore's xs_watch: linked statically,
 * libxenstore has no reader thread, and a watch event that comes between a
 * request and its reply makes it close the connection that carried both.
 * Returns the descriptor (non-blocking, close-on-exec), or -1 with errno.
 */
int xsreg_watch_domains(void);

/* Discards what arrived on a xsreg_watch_domains descriptor (whatever
 * fired, the answer is to look at every domain). Returns 0, or -1 when
 * xenstored closed the connection and the watch is gone. */
int xsreg_drain_watch(int fd);

#endif
