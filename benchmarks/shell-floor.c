/*
 * shell-floor: the in-process floor of a create into a warm shell. Makes
 * ROUNDS + 1 shells of 8 MiB (untimed), then for each times what chaosd
 * does on a create that finds one ready: load the kernel into the shell,
 * build the start of day, seed the grant table, set the UUID, unpause.
 * The first round is not timed, so that the timed ones run warm code, as
 * a long-lived daemon's do. No name registry, no socket, no process
 * start: what is left is Xen's and libxenguest's work. Destroys every
 * domain it made.
 *
 *   shell-floor KERNEL ROUNDS [cued]
 *       prints one time per line, microseconds, flushed at once; with
 *       "cued", each timed round waits (untimed) for a line on stdin, so
 *       that a script can space the rounds as a daemon's creates come.
 *
 * Without "cued" the timed rounds follow one another at once, each right
 * after a build of the same kernel in the same process: in the test host
 * that makes the image build about 1 ms faster than any build that
 * follows other work (benchmarks/README.md, session 12).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../chaos/build.h"
#include "../chaos/domcfg.h"

static long long now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
    struct build_shell *shells = NULL;
    struct build_image image = { 0 };
    struct domcfg dc = { 0 };
    struct build_shape shape;
    xc_interface *xch = NULL;
    void *kernel = NULL;
    int rounds, made = 0, rc = 1, r;
    bool cued;

    if (argc < 3 || argc > 4 || (rounds = atoi(argv[2])) < 1 ||
        rounds > 1000 || (argc == 4 && strcmp(argv[3], "cued") != 0)) {
        fprintf(stderr, "usage: shell-floor KERNEL ROUNDS (1-1000) [cued]\n");
        return 2;
    }
    cued = argc == 4;
    rounds++;                           /* the warm-up */
    r = build_read_file(argv[1], &kernel, &image.kernel_len);
    if (r) {
        fprintf(stderr, "shell-floor: cannot read %s: %s\n", argv[1],
                strerror(r));
        return 1;
    }
    image.kernel = kernel;
    xch = xc_interface_open(NULL, NULL, 0);
    shells = calloc((size_t)rounds, sizeof(*shells));
    if (!xch || !shells) {
        fprintf(stderr, "shell-floor: cannot open Xen's control interface\n");
        goto out;
    }
    dc.name = "shell-floor";
    dc.target_kb = dc.max_kb = 8192;
    dc.vcpus = dc.max_vcpus = 1;
    build_shape_of(&dc, &shape);
    for (; made < rounds; made++) {
        uint8_t handle[16];

        build_mark(handle);
        if (build_shell_make(xch, &shape, handle, "shell-floor",
                             &shells[made], stderr) < 0)
            goto out;
    }
    for (int i = 0; i < rounds; i++) {
        struct build_result br;
        xen_domain_handle_t uuid = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
        char cue[16];
        long long t0;

        if (cued && i > 0 && !fgets(cue, sizeof(cue), stdin)) {
            fprintf(stderr, "shell-floor: no cue for round %d\n", i);
            goto out;
        }
        t0 = now_us();

        uuid[15] = (uint8_t)i;
        if (build_shell_finish(xch, &shells[i], &dc, &image, NULL, NULL,
                               &br, stderr) < 0 ||
            xc_domain_sethandle(xch, br.domid, uuid) < 0 ||
            xc_domain_unpause(xch, br.domid) < 0) {
            fprintf(stderr, "shell-floor: round %d failed\n", i);
            goto out;
        }
        if (i > 0) {
            printf("%lld\n", now_us() - t0);
            fflush(stdout);
        }
    }
    rc = 0;
out:
    for (int i = 0; i < made; i++)
        if (xc_domain_destroy(xch, shells[i].domid) < 0 && errno != ESRCH)
            fprintf(stderr, "shell-floor: cannot destroy domain %u\n",
                    shells[i].domid);
    free(shells);
    free(kernel);
    if (xch)
        xc_interface_close(xch);
    return rc;
}
