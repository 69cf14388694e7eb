/*
 * port: vif on and off its bridge. See port.h.
 */
#include "port.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const unsigned char port_mac[NETDEV_MAC_LEN] = {
    0xfe, 0xff, 0xff, 0xff, 0xff, 0xff
};

#define WHY(...) snprintf(why, why_len, __VA_ARGS__)

int port_attach(struct netdev *nd, const struct port_plan *p,
                struct port_result *res, char *why, size_t why_len)
{
    struct netdev_link dev, br;
    const char *want = p->rename_to && *p->rename_to ? p->rename_to
                                                     : p->ifname;
    int r;

    memset(res, 0, sizeof(*res));
    r = netdev_by_name(nd, p->bridge, &br);
    if (r == ENODEV || r == EINVAL) {
        WHY("bridge %s does not exist", p->bridge);
        return ENODEV;
    }
    if (r) {
        WHY("cannot look up bridge %s: %s", p->bridge, strerror(r));
        return r;
    }
    if (strcmp(br.kind, "bridge") != 0) {
        WHY("%s is not a bridge", p->bridge);
        return ENOTTY;
    }
    r = netdev_by_name(nd, p->ifname, &dev);
    if (r == ENODEV && want != p->ifname)     /* renamed by an earlier try */
        r = netdev_by_name(nd, want, &dev);
    if (r) {
        WHY("cannot find interface %s: %s", p->ifname, strerror(r));
        return r;
    }
    if (dev.index == br.index) {
        WHY("%s cannot be a port of itself", p->bridge);
        return EINVAL;
    }
    if (dev.master == br.index && (dev.flags & IFF_UP) &&
        strcmp(dev.name, want) == 0) {
        snprintf(res->ifname, sizeof(res->ifname), "%s", dev.name);
        res->mtu = dev.mtu;
        return 0;
    }

    res->changed = true;
    if (dev.flags & IFF_UP) {
        r = netdev_set_up(nd, dev.index, false);
        if (r) {
            WHY("cannot set %s down: %s", dev.name, strerror(r));
            return r;
        }
    }
    if (strcmp(dev.name, want) != 0) {
        r = netdev_rename(nd, dev.index, want);
        if (r) {
            if (r == EEXIST)
                WHY("cannot rename %s to %s: that name is taken", dev.name,
                    want);
            else
                WHY("cannot rename %s to %s: %s", dev.name, want,
                    strerror(r));
            return r;
        }
        snprintf(dev.name, sizeof(dev.name), "%s", want);
    }
    (void)netdev_set_mac(nd, dev.index, port_mac);
    if ((p->mtu ? p->mtu : br.mtu) != dev.mtu)
        (void)netdev_set_mtu(nd, dev.index, p->mtu ? p->mtu : br.mtu);
    if (dev.master && dev.master != br.index) {
        r = netdev_set_master(nd, dev.index, 0);
        if (r) {
            WHY("cannot take %s off its bridge: %s", dev.name, strerror(r));
            return r;
        }
    }
    if (dev.master != br.index) {
        r = netdev_set_master(nd, dev.index, br.index);
        if (r) {
            WHY("cannot add %s to bridge %s: %s", dev.name, p->bridge,
                strerror(r));
            return r;
        }
    }
    r = netdev_set_up(nd, dev.index, true);
    if (r) {
        WHY("cannot set %s up: %s", dev.name, strerror(r));
        return r;
    }
    r = netdev_by_index(nd, dev.index, &dev);
    if (r) {
        WHY("cannot look up %s again: %s", want, strerror(r));
        return r;
    }
    snprintf(res->ifname, sizeof(res->ifname), "%s", dev.name);
    res->mtu = dev.mtu;
    return 0;
}

int port_detach(struct netdev *nd, const char *ifname, char *why,
                size_t why_len)
{
    struct netdev_link dev;
    int r;

    r = netdev_by_name(nd, ifname, &dev);
    if (r == ENODEV)
        return 0;
    if (r) {
        WHY("cannot find interface %s: %s", ifname, strerror(r));
        return r;
    }
    if (dev.flags & IFF_UP) {
        r = netdev_set_up(nd, dev.index, false);
        if (r && r != ENODEV) {
            WHY("cannot set %s down: %s", ifname, strerror(r));
            return r;
        }
    }
    if (dev.master) {
        r = netdev_set_master(nd, dev.index, 0);
        if (r && r != ENODEV) {
            WHY("cannot take %s off its bridge: %s", ifname, strerror(r));
            return r;
        }
    }
    return 0;
}
