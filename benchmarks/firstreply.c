/*
 * firstreply IP TIMEOUT_MS CMD [ARG]...: the time from starting CMD (a
 * create) to the first ICMP echo reply from IP, for the benchmarks' "create
 * to first ping" figures. Runs CMD, then sends an echo request every
 * millisecond until a reply comes. Prints two numbers in microseconds:
 * from the start of CMD to the first reply, and to CMD's exit. Exits 1
 * when CMD fails or no reply comes within TIMEOUT_MS; 2 on bad usage.
 * Needs a raw socket (root). The caller sets a static neighbour entry for
 * IP, so that ARP's retry timer does not become part of the figure.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static uint16_t checksum(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t s = 0;

    for (; len >= 2; p += 2, len -= 2)
        s += (uint32_t)(p[0] << 8 | p[1]);
    if (len)
        s += (uint32_t)p[0] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return htons((uint16_t)~s);
}

/* True when the datagram BUF (LEN bytes, with its IP header) is an echo
 * reply to us (ID) from DST. */
static int is_reply(const unsigned char *buf, ssize_t len, uint16_t id,
                    const struct in_addr *dst)
{
    const struct iphdr *ip = (const struct iphdr *)buf;
    const struct icmphdr *icmp;

    if (len < (ssize_t)sizeof(*ip) || ip->saddr != dst->s_addr ||
        len < (ssize_t)(ip->ihl * 4 + sizeof(*icmp)))
        return 0;
    icmp = (const struct icmphdr *)(buf + ip->ihl * 4);
    return icmp->type == ICMP_ECHOREPLY && icmp->un.echo.id == htons(id);
}

int main(int argc, char **argv)
{
    struct sockaddr_in to = { .sin_family = AF_INET };
    long long t0, t_cmd, deadline;
    uint16_t id = (uint16_t)getpid(), seq = 0;
    int fd, status;
    pid_t pid;

    if (argc < 4 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
        fprintf(stderr, "usage: firstreply IP TIMEOUT_MS CMD [ARG]...\n");
        return 2;
    }
    fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
    if (fd < 0) {
        fprintf(stderr, "firstreply: raw socket: %s\n", strerror(errno));
        return 1;
    }
    t0 = now_us();
    pid = fork();
    if (pid == 0) {
        execvp(argv[3], argv + 3);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        fprintf(stderr, "firstreply: %s failed\n", argv[3]);
        return 1;
    }
    t_cmd = now_us();
    deadline = t0 + atoll(argv[2]) * 1000;
    while (now_us() < deadline) {
        struct icmphdr req = { .type = ICMP_ECHO };
        struct pollfd p = { .fd = fd, .events = POLLIN };
        long long sent = now_us();

        req.un.echo.id = htons(id);
        req.un.echo.sequence = htons(++seq);
        req.checksum = checksum(&req, sizeof(req));
        sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&to, sizeof(to));
        while (now_us() - sent < 1000 && poll(&p, 1, 1) > 0) {
            unsigned char buf[2048];
            ssize_t n = recv(fd, buf, sizeof(buf), 0);

            if (n > 0 && is_reply(buf, n, id, &to.sin_addr)) {
                printf("%lld %lld\n", now_us() - t0, t_cmd - t0);
                return 0;
            }
        }
    }
    fprintf(stderr, "firstreply: no reply from %s within %s ms\n", argv[1],
            argv[2]);
    return 1;
}
