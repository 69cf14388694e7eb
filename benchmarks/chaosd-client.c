/*
 * chaosd-client: a long-lived program using chaosd, for the benchmarks.
 * Connects once (and asks for the pools' state, untimed, so that chaosd
 * has accepted the connection), then sends one request at a time and
 * times its round trip (a create returns once the guest is unpaused).
 *
 *   chaosd-client CONFIG KERNEL create PREFIX N [cued] [paused]
 *       creates N domains from CONFIG with KERNEL (passed as a
 *       descriptor), named PREFIX1 .. PREFIXN; with "cued", each create
 *       waits (untimed) for a line on stdin, so that a script can take
 *       turns between this client's requests and other measurements;
 *       with "paused", the domains are left paused (chaos create -p);
 *   chaosd-client CONFIG KERNEL destroy PREFIX N
 *       destroys the domids read from stdin, one per line (CONFIG,
 *       KERNEL, PREFIX and N are not used).
 *
 * Each prints "DOMID MICROSECONDS" per request, flushed at once; any
 * failure ends it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../chaos/client.h"

static unsigned char msg[CHAOSD_MSG_MAX], buf[CHAOSD_MSG_MAX];

static long long now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "re");
    char *data = malloc(CHAOSD_MSG_MAX);

    if (!f || !data) {
        fprintf(stderr, "chaosd-client: cannot read %s\n", path);
        exit(1);
    }
    *len = fread(data, 1, CHAOSD_MSG_MAX / 2, f);
    fclose(f);
    return data;
}

/* Sends the LEN bytes of msg (with FDS) and checks the reply's status. */
static uint32_t call(int sock, size_t len, const int *fds, size_t n_fds)
{
    struct chaosd_msg reply;

    if (!len || client_call(sock, msg, len, fds, n_fds, false, buf, &reply,
                            stderr) < 0)
        exit(1);
    if (reply.u.reply.status != 0) {
        fprintf(stderr, "chaosd-client: request failed (%d): %.*s",
                reply.u.reply.status, (int)reply.u.reply.err_len,
                reply.u.reply.err);
        exit(1);
    }
    return reply.u.reply.domid;
}

int main(int argc, char **argv)
{
    size_t base_len;
    char *base, *config, line[64];
    int sock, kernel, n;
    bool cued = false, paused = false, bad = argc < 6;

    for (int i = 6; i < argc; i++) {
        if (strcmp(argv[i], "cued") == 0)
            cued = true;
        else if (strcmp(argv[i], "paused") == 0)
            paused = true;
        else
            bad = true;
    }
    if (bad || (n = atoi(argv[5])) < 1) {
        fprintf(stderr, "usage: chaosd-client CONFIG KERNEL create|destroy "
                "PREFIX N [cued] [paused]\n");
        return 2;
    }
    if (client_connect(&sock, stderr) != 1) {
        fprintf(stderr, "chaosd-client: chaosd is not running\n");
        return 1;
    }
    /* Untimed: no timed request pays for chaosd's accepting the
     * connection. */
    call(sock, chaosd_encode_pool(msg, sizeof(msg), 3), NULL, 0);
    if (strcmp(argv[3], "destroy") == 0) {
        unsigned int domid;

        while (scanf("%u", &domid) == 1) {
            long long t0 = now_us();

            call(sock, chaosd_encode_destroy(msg, sizeof(msg), 2, domid),
                 NULL, 0);
            printf("%u %lld\n", domid, now_us() - t0);
            fflush(stdout);
        }
        return 0;
    }
    base = slurp(argv[1], &base_len);
    kernel = open(argv[2], O_RDONLY | O_CLOEXEC);
    config = malloc(base_len + 256);
    if (kernel < 0 || !config) {
        fprintf(stderr, "chaosd-client: cannot open %s\n", argv[2]);
        return 1;
    }
    for (int i = 1; i <= n; i++) {
        int len = snprintf(config, base_len + 256, "%.*s\nname = \"%s%d\"\n",
                           (int)base_len, base, argv[4], i);
        long long t0;

        if (cued && !fgets(line, sizeof(line), stdin)) {
            fprintf(stderr, "chaosd-client: no cue for create %d\n", i);
            return 1;
        }
        t0 = now_us();
        uint32_t flags = paused ? CHAOSD_CREATE_PAUSED : 0;
        uint32_t domid = call(sock, chaosd_encode_create(
                                  msg, sizeof(msg), 1, flags, 1, argv[1],
                                  strlen(argv[1]), config, (size_t)len),
                              &kernel, 1);

        printf("%u %lld\n", domid, now_us() - t0);
        fflush(stdout);
    }
    return 0;
}
