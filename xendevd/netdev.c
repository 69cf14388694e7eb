/*
 * netdev: interface operations over rtnetlink. See netdev.h.
 *
 * Each operation is one request and its one answer: RTM_GETLINK answered
 * with RTM_NEWLINK, or RTM_NEWLINK on an existing index answered with an
 * acknowledgement. The answer is matched by sequence number; anything
 * else read from the socket is dropped.
 */
#include "netdev.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define REQ_MAX 512

struct req {
    struct nlmsghdr *nh;
    unsigned char buf[REQ_MAX] __attribute__((aligned(NLMSG_ALIGNTO)));
};

int netdev_open(struct netdev *nd)
{
    struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
    int fd;

    fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0)
        return errno;
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = errno;

        close(fd);
        return e;
    }
    nd->fd = fd;
    nd->seq = 0;
    return 0;
}

void netdev_close(struct netdev *nd)
{
    if (nd->fd >= 0)
        close(nd->fd);
    nd->fd = -1;
}

bool netdev_name_ok(const char *name)
{
    size_t n = strnlen(name, IFNAMSIZ);

    if (n == 0 || n >= IFNAMSIZ)
        return false;
    if (!strcmp(name, ".") || !strcmp(name, ".."))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];

        if (c <= ' ' || c >= 0x7f || c == '/' || c == ':')
            return false;
    }
    return true;
}

static void req_start(struct req *r, uint16_t type, uint16_t flags, int index,
                      unsigned ifi_flags, unsigned ifi_change)
{
    struct ifinfomsg *ifi;

    memset(r->buf, 0, sizeof(r->buf));
    r->nh = (struct nlmsghdr *)r->buf;
    r->nh->nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
    r->nh->nlmsg_type = type;
    r->nh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
    ifi = NLMSG_DATA(r->nh);
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = index;
    ifi->ifi_flags = ifi_flags;
    ifi->ifi_change = ifi_change;
}

/* Appends one attribute; the requests here are far below REQ_MAX. */
static void req_attr(struct req *r, uint16_t type, const void *data,
                     size_t len)
{
    struct rtattr *rta;

    rta = (struct rtattr *)(r->buf + NLMSG_ALIGN(r->nh->nlmsg_len));
    rta->rta_type = type;
    rta->rta_len = (unsigned short)RTA_LENGTH(len);
    memcpy(RTA_DATA(rta), data, len);
    r->nh->nlmsg_len = NLMSG_ALIGN(r->nh->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

/* Fills OUT from an RTM_NEWLINK message of LEN bytes (already checked to
 * hold at least its header and an ifinfomsg). */
static void parse_link(const struct nlmsghdr *nh, struct netdev_link *out)
{
    const struct ifinfomsg *ifi = NLMSG_DATA(nh);
    const struct rtattr *rta;
    int len = (int)nh->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifi));

    memset(out, 0, sizeof(*out));
    out->index = ifi->ifi_index;
    out->flags = ifi->ifi_flags;
    for (rta = IFLA_RTA(ifi); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
        size_t n = RTA_PAYLOAD(rta);

        switch (rta->rta_type) {
        case IFLA_IFNAME:
            if (n > 0 && n <= IFNAMSIZ)
                memcpy(out->name, RTA_DATA(rta), n);
            out->name[IFNAMSIZ - 1] = '\0';
            break;
        case IFLA_MTU:
            if (n >= sizeof(uint32_t))
                memcpy(&out->mtu, RTA_DATA(rta), sizeof(uint32_t));
            break;
        case IFLA_MASTER:
            if (n >= sizeof(uint32_t))
                memcpy(&out->master, RTA_DATA(rta), sizeof(uint32_t));
            break;
        case IFLA_ADDRESS:
            if (n == NETDEV_MAC_LEN) {
                memcpy(out->mac, RTA_DATA(rta), n);
                out->has_mac = true;
            }
            break;
        case IFLA_LINKINFO: {
            const struct rtattr *in = RTA_DATA(rta);
            int inlen = (int)n;

            for (; RTA_OK(in, inlen); in = RTA_NEXT(in, inlen)) {
                size_t k = RTA_PAYLOAD(in);

                if (in->rta_type != IFLA_INFO_KIND)
                    continue;
                if (k >= sizeof(out->kind))
                    k = sizeof(out->kind) - 1;
                memcpy(out->kind, RTA_DATA(in), k);
                out->kind[k] = '\0';
            }
            break;
        }
        }
    }
}

/* Sends R and reads until its answer: an error or acknowledgement (0 or
 * the errno), or, when LINK is not NULL, an RTM_NEWLINK filled into it. */
static int transact(struct netdev *nd, struct req *r, struct netdev_link *link)
{
    unsigned char *answer = nd->answer;
    uint32_t seq = ++nd->seq;

    r->nh->nlmsg_seq = seq;
    if (send(nd->fd, r->buf, r->nh->nlmsg_len, 0) < 0)
        return errno;
    for (;;) {
        ssize_t got = recv(nd->fd, answer, sizeof(nd->answer), MSG_TRUNC);
        const struct nlmsghdr *nh;
        int len;

        if (got < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if ((size_t)got > sizeof(nd->answer))
            return EMSGSIZE;
        len = (int)got;
        for (nh = (const struct nlmsghdr *)answer; NLMSG_OK(nh, len);
             nh = NLMSG_NEXT(nh, len)) {
            if (nh->nlmsg_seq != seq)
                continue;
            if (nh->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *e = NLMSG_DATA(nh);

                if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
                    return EPROTO;
                if (e->error == 0 && link)
                    return EPROTO;      /* acknowledged, but no link */
                return -e->error;
            }
            if (link && nh->nlmsg_type == RTM_NEWLINK &&
                nh->nlmsg_len >= NLMSG_LENGTH(sizeof(struct ifinfomsg))) {
                parse_link(nh, link);
                return 0;
            }
        }
    }
}

static int get_link(struct netdev *nd, const char *name, int index,
                    struct netdev_link *out)
{
    struct req r;
    uint32_t mask = RTEXT_FILTER_SKIP_STATS;

    req_start(&r, RTM_GETLINK, 0, index, 0, 0);
    if (name)
        req_attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
    req_attr(&r, IFLA_EXT_MASK, &mask, sizeof(mask));
    return transact(nd, &r, out);
}

int netdev_by_name(struct netdev *nd, const char *name,
                   struct netdev_link *out)
{
    if (!netdev_name_ok(name))
        return EINVAL;
    return get_link(nd, name, 0, out);
}

int netdev_by_index(struct netdev *nd, int index, struct netdev_link *out)
{
    if (index <= 0)
        return EINVAL;
    return get_link(nd, NULL, index, out);
}

int netdev_set_up(struct netdev *nd, int index, bool up)
{
    struct req r;

    req_start(&r, RTM_NEWLINK, NLM_F_ACK, index, up ? IFF_UP : 0, IFF_UP);
    return transact(nd, &r, NULL);
}

int netdev_set_mac(struct netdev *nd, int index,
                   const unsigned char mac[NETDEV_MAC_LEN])
{
    struct req r;

    req_start(&r, RTM_NEWLINK, NLM_F_ACK, index, 0, 0);
    req_attr(&r, IFLA_ADDRESS, mac, NETDEV_MAC_LEN);
    return transact(nd, &r, NULL);
}

int netdev_set_mtu(struct netdev *nd, int index, unsigned mtu)
{
    struct req r;
    uint32_t v = mtu;

    req_start(&r, RTM_NEWLINK, NLM_F_ACK, index, 0, 0);
    req_attr(&r, IFLA_MTU, &v, sizeof(v));
    return transact(nd, &r, NULL);
}

int netdev_set_master(struct netdev *nd, int index, int master)
{
    struct req r;
    uint32_t v = (uint32_t)master;

    req_start(&r, RTM_NEWLINK, NLM_F_ACK, index, 0, 0);
    req_attr(&r, IFLA_MASTER, &v, sizeof(v));
    return transact(nd, &r, NULL);
}

int netdev_rename(struct netdev *nd, int index, const char *name)
{
    struct req r;

    if (!netdev_name_ok(name))
        return EINVAL;
    req_start(&r, RTM_NEWLINK, NLM_F_ACK, index, 0, 0);
    req_attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
    return transact(nd, &r, NULL);
}
