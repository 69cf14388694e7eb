/*
 * noxsdev: a domain's NOXS devices from the toolstack's side (design:
 * libnoxs/README.md, section 7). Before the domain first runs, noxsdev
 * asks noxsd to serve each vif and writes the guest's device page into
 * its store page; before the domain is destroyed, it asks noxsd to let
 * go of them.
 *
 * noxsd listens on /run/chaos/noxsd.sock, or on CHAOS_NOXSD_SOCKET when
 * that is set in the environment.
 */
#ifndef CHAOS_NOXSDEV_H
#define CHAOS_NOXSDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <xenctrl.h>

#include "build.h"
#include "domcfg.h"

/* True when DC's devices are NOXS ones: it has vifs and does not ask for
 * devices = "xenstore" (ts_create_config resolves the default). Such a
 * domain's store page is its device page, so it must not be introduced
 * to xenstored. */
bool noxsdev_wanted(const struct domcfg *dc);

/*
 * Sets up DC's vifs for the domain BR built (paused): for each, an event
 * channel in the guest for dom0, noxsd's control page and TAP; then the
 * device page. Every vif has its MAC (domcfg_make_macs). Returns 0, or
 * -1 after saying on ERR what failed, on which domain and what to do;
 * whatever noxsd had set up is then removed.
 */
int noxsdev_setup(xc_interface *xch, const struct domcfg *dc,
                  const struct build_result *br, FILE *err);

/*
 * Asks noxsd to stop serving DOMID's devices. Costs nothing when noxsd's
 * socket does not exist. Returns 0, or -1 after saying on ERR why (the
 * domain's devices may then outlive it until noxsd's own sweep).
 */
int noxsdev_remove(uint32_t domid, FILE *err);

#endif
