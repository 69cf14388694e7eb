/*
 * port: makes a vif a port of its bridge, and takes it off again, as
 * Xen's vif-bridge script does: link down, MAC address fe:ff:ff:ff:ff:ff
 * (the highest non-broadcast address, so that a bridge never takes the
 * vif's as its own), the MTU, the bridge, link up.
 */
#ifndef XENDEVD_PORT_H
#define XENDEVD_PORT_H

#include <stdbool.h>
#include <stddef.h>

#include "netdev.h"

struct port_plan {
    const char *ifname;         /* the interface, as it is named now */
    const char *bridge;
    const char *rename_to;      /* NULL or "": keep the name */
    unsigned mtu;               /* 0: the bridge's MTU */
};

struct port_result {
    char ifname[IFNAMSIZ];      /* its name afterwards */
    unsigned mtu;               /* its MTU afterwards */
    bool changed;               /* false: it already was a port, up */
};

/* port_attach: makes P->ifname (renamed to P->rename_to if given) an up
 * port of P->bridge. An interface that already is an up port of that
 * bridge under the wanted name is left alone, so that a restarted xendevd
 * does not disturb running vifs; one on another bridge is moved. A MAC or
 * MTU the interface refuses is not an error (the script ignores those
 * too); RES->mtu says what it has. Returns 0, or an errno value with a
 * sentence for the log and hotplug-error in WHY ("bridge xenbr1 does not
 * exist", ...). */
int port_attach(struct netdev *nd, const struct port_plan *p,
                struct port_result *res, char *why, size_t why_len);

/* port_detach: sets IFNAME down and takes it off its master, if it has
 * one. An interface that is gone already is not an error. Returns 0 or
 * an errno value with WHY filled in. */
int port_detach(struct netdev *nd, const char *ifname, char *why,
                size_t why_len);

#endif
