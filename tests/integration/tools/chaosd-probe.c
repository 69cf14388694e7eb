/*
 * chaosd-probe: sends chaosd one malformed (or odd) message and prints
 * what came back, for the integration tests of the socket protocol.
 *
 *   chaosd-probe SOCKET CASE
 *
 * Prints "status=N" and the reply's error text when chaosd replied,
 * "closed" when it closed the connection without a reply. Exits 0 in
 * both cases, 1 when the probe itself failed (no connection). The case
 * "pools-then-end" sends two pool requests (seq 1 and 2), shuts its
 * sending side without waiting, and prints "status=N seq=S" for each
 * reply, then "closed" once chaosd closes the connection.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../../../chaos/chaosd_msg.h"

static unsigned char msg[CHAOSD_MSG_MAX + 4096];
/* Where chaosd's replies are received. */
static unsigned char buf[CHAOSD_MSG_MAX];

static void put32(size_t off, uint32_t v)
{
    memcpy(msg + off, &v, sizeof(v));
}

/* Fills msg for CASE; returns its length and how many /dev/null
 * descriptors go with it, or 0 for an unknown case. */
static size_t build(const char *c, int *n_fds)
{
    static const char cfg[] = "name = \"probe\"\nkernel = \"/from-a-descriptor\"\n";
    size_t n;

    *n_fds = 0;
    if (strcmp(c, "short") == 0) {
        memcpy(msg, "CHAO", 4);
        return 4;
    }
    if (strcmp(c, "garbage") == 0) {
        for (size_t i = 0; i < 100; i++)
            msg[i] = (unsigned char)(i * 37 + 11);
        return 100;
    }
    if (strcmp(c, "huge") == 0) {
        n = chaosd_encode_pool(msg, sizeof(msg), 1);
        memset(msg + n, 'x', CHAOSD_MSG_MAX + 100 - n);
        return CHAOSD_MSG_MAX + 100;
    }
    if (strcmp(c, "pools-then-end") == 0)
        return chaosd_encode_pool(msg, sizeof(msg), 1);
    if (strcmp(c, "pool-with-fd") == 0) {
        *n_fds = 1;
        return chaosd_encode_pool(msg, sizeof(msg), 1);
    }
    if (strcmp(c, "destroy-fd") == 0) {
        *n_fds = 1;
        return chaosd_encode_destroy(msg, sizeof(msg), 1, 32000);
    }
    if (strcmp(c, "destroy-size") == 0) {
        n = chaosd_encode_destroy(msg, sizeof(msg), 1, 32000);
        put32(12, 5);
        msg[n] = 0;
        return n + 1;
    }
    if (strcmp(c, "named-short") == 0) {
        n = chaosd_encode_destroy_named(msg, sizeof(msg), 1, 0, "x", 1);
        put32(12, 7);
        return n - 2;
    }
    if (strcmp(c, "named-fd") == 0) {
        *n_fds = 1;
        return chaosd_encode_destroy_named(msg, sizeof(msg), 1, 0, "x", 1);
    }
    if (strcmp(c, "named-flags") == 0) {
        n = chaosd_encode_destroy_named(msg, sizeof(msg), 1, 0, "x", 1);
        put32(sizeof(struct chaosd_hdr), 0x40);
        return n;
    }
    if (strcmp(c, "named-length") == 0) {
        n = chaosd_encode_destroy_named(msg, sizeof(msg), 1, 0, "xy", 2);
        put32(sizeof(struct chaosd_hdr) + 4, 0xfffffff0u);
        return n;
    }
    if (strcmp(c, "named-empty") == 0) {
        n = chaosd_encode_destroy_named(msg, sizeof(msg), 1, 0, "x", 1);
        put32(12, 8);
        put32(sizeof(struct chaosd_hdr) + 4, 0);
        return n - 1;
    }
    if (strcmp(c, "named-nul") == 0) {
        n = chaosd_encode_destroy_named(msg, sizeof(msg), 1, 0, "xy", 2);
        msg[n - 1] = 0;
        return n;
    }
    if (strcmp(c, "reply") == 0)
        return chaosd_encode_reply(msg, sizeof(msg), 1, 0, 0, "x", 1, "", 0);
    if (strcmp(c, "console-flags") == 0) {
        n = chaosd_encode_console(msg, sizeof(msg), 1, 0, 0);
        put32(sizeof(struct chaosd_hdr) + 4, 0x40);
        return n;
    }
    if (strcmp(c, "console-fd") == 0) {
        *n_fds = 1;
        return chaosd_encode_console(msg, sizeof(msg), 1, 0, 0);
    }
    if (strcmp(c, "console-none") == 0)     /* no such domain */
        return chaosd_encode_console(msg, sizeof(msg), 1, 32000, 0);
    if (strcmp(c, "data") == 0)             /* input, but not attached */
        return chaosd_encode_console_data(msg, sizeof(msg), "ls\r", 3);
    if (strcmp(c, "data-seq") == 0) {
        n = chaosd_encode_console_data(msg, sizeof(msg), "ls\r", 3);
        put32(8, 5);
        return n;
    }
    n = chaosd_encode_create(msg, sizeof(msg), 7, 0, 1, "p", 1, cfg,
                             sizeof(cfg) - 1);
    *n_fds = 1;
    if (strcmp(c, "magic") == 0) {
        put32(0, 0xdeadbeef);
    } else if (strcmp(c, "version") == 0) {
        msg[4] = 99;
    } else if (strcmp(c, "length") == 0) {
        put32(12, (uint32_t)n);
    } else if (strcmp(c, "type") == 0) {
        msg[6] = 0x77;
    } else if (strcmp(c, "no-fd") == 0) {
        *n_fds = 0;
    } else if (strcmp(c, "three-fds") == 0) {
        *n_fds = 3;
    } else if (strcmp(c, "fd-count") == 0) {
        put32(sizeof(struct chaosd_hdr) + 4, 2);
    } else if (strcmp(c, "flags") == 0) {
        put32(sizeof(struct chaosd_hdr), 0x40);
    } else if (strcmp(c, "strings") == 0) {
        put32(sizeof(struct chaosd_hdr) + 8, 1000);
    } else if (strcmp(c, "dir-fd") == 0) {
        *n_fds = -1;                    /* a directory, not a kernel */
    } else if (strcmp(c, "bad-config") == 0) {
        n = chaosd_encode_create(msg, sizeof(msg), 7, 0, 1, "p", 1,
                                 "name = = 1\n", 11);
    } else {
        return 0;
    }
    return n;
}

/* The rest of case pools-then-end, its first request (LEN bytes of msg)
 * sent on FD. */
static int pools_then_end(int fd, size_t len)
{
    struct chaosd_msg reply;
    const char *why;
    ssize_t n;

    if (chaosd_encode_pool(msg, sizeof(msg), 2) != len ||
        send(fd, msg, len, 0) != (ssize_t)len || shutdown(fd, SHUT_WR) < 0) {
        printf("send failed: %s\n", strerror(errno));
        return 0;
    }
    while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
        if (chaosd_decode(buf, (size_t)n, 0, &reply, &why) != 0 ||
            reply.hdr.type != CHAOSD_REPLY) {
            printf("malformed reply\n");
            return 0;
        }
        printf("status=%d seq=%u\n", reply.u.reply.status, reply.hdr.seq);
    }
    if (n < 0)
        printf("recv failed: %s\n", strerror(errno));
    else
        printf("closed\n");
    return 0;
}

int main(int argc, char **argv)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(3 * sizeof(int))];
    } control;
    struct iovec iov;
    struct msghdr mh = { 0 };
    struct chaosd_msg reply;
    const char *why;
    int fd, fds[3], n_fds;
    size_t len;
    ssize_t n;

    if (argc != 3) {
        fprintf(stderr, "usage: chaosd-probe SOCKET CASE\n");
        return 2;
    }
    len = build(argv[2], &n_fds);
    if (!len) {
        fprintf(stderr, "chaosd-probe: unknown case %s\n", argv[2]);
        return 2;
    }
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[1]);
    fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        fprintf(stderr, "chaosd-probe: cannot connect to %s: %s\n", argv[1],
                strerror(errno));
        return 1;
    }
    iov.iov_base = msg;
    iov.iov_len = len;
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    if (n_fds) {
        struct cmsghdr *c;
        int count = n_fds < 0 ? 1 : n_fds;

        for (int i = 0; i < count; i++)
            fds[i] = open(n_fds < 0 ? "/" : "/dev/null", O_RDONLY);
        memset(&control, 0, sizeof(control));
        mh.msg_control = control.space;
        mh.msg_controllen = CMSG_SPACE((size_t)count * sizeof(int));
        c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN((size_t)count * sizeof(int));
        memcpy(CMSG_DATA(c), fds, (size_t)count * sizeof(int));
    }
    if (sendmsg(fd, &mh, 0) < 0) {
        /* A message over the socket's limit may be refused here. */
        printf("send failed: %s\n", strerror(errno));
        return 0;
    }
    if (strcmp(argv[2], "pools-then-end") == 0)
        return pools_then_end(fd, len);
    n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) {
        printf("closed\n");
        return 0;
    }
    if (chaosd_decode(buf, (size_t)n, 0, &reply, &why) != 0 ||
        reply.hdr.type != CHAOSD_REPLY) {
        printf("malformed reply\n");
        return 0;
    }
    printf("status=%d\n%.*s", reply.u.reply.status,
           (int)reply.u.reply.err_len, reply.u.reply.err);
    return 0;
}
