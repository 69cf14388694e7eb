/*
 * netdev: the few network-interface operations xendevd performs, as
 * rtnetlink requests on one socket (no external program, no netlink
 * library). They act in the network namespace of the process.
 *
 * Every function returns 0 or a positive errno value; the kernel's
 * answer is returned as it is (ENODEV: no such interface, EBUSY: the
 * interface must be down for that, EOPNOTSUPP: the master is not a
 * bridge, ...).
 */
#ifndef XENDEVD_NETDEV_H
#define XENDEVD_NETDEV_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#define NETDEV_KIND_MAX 16
#define NETDEV_MAC_LEN 6
#define NETDEV_ANSWER_MAX 32768

struct netdev {
    int fd;
    uint32_t seq;
    unsigned char answer[NETDEV_ANSWER_MAX] __attribute__((aligned(4)));
};

/* What the kernel reports of one interface. */
struct netdev_link {
    int index;
    char name[IFNAMSIZ];
    unsigned flags;                     /* IFF_UP, ... */
    unsigned mtu;
    int master;                         /* 0: none */
    char kind[NETDEV_KIND_MAX];         /* "bridge", "tun"; "" if none */
    unsigned char mac[NETDEV_MAC_LEN];
    bool has_mac;
};

/* netdev_open: opens the rtnetlink socket. */
int netdev_open(struct netdev *nd);
void netdev_close(struct netdev *nd);

/* netdev_name_ok: NAME can be an interface name: 1 to IFNAMSIZ-1 bytes,
 * printable, no '/', no blank, not "." or "..". Every name that comes
 * from an event, XenStore or a file is checked with it before use. */
bool netdev_name_ok(const char *name);

/* netdev_by_name / netdev_by_index: fills OUT. ENODEV if there is no
 * such interface. */
int netdev_by_name(struct netdev *nd, const char *name,
                   struct netdev_link *out);
int netdev_by_index(struct netdev *nd, int index, struct netdev_link *out);

/* Changes to the interface with index INDEX. */
int netdev_set_up(struct netdev *nd, int index, bool up);
int netdev_set_mac(struct netdev *nd, int index,
                   const unsigned char mac[NETDEV_MAC_LEN]);
int netdev_set_mtu(struct netdev *nd, int index, unsigned mtu);
/* MASTER 0 takes the interface off its master. */
int netdev_set_master(struct netdev *nd, int index, int master);
/* The interface must be down; EEXIST if NAME is taken. */
int netdev_rename(struct netdev *nd, int index, const char *name);

#endif
