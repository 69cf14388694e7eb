/*
 * vif-xendevd: the vif hotplug "script" to name in xl.conf
 * (vif.default.script) or a vif's script= when xendevd runs. It changes
 * nothing itself: xendevd attaches the vif when netback reports it. It
 * only lets libxl learn the outcome, which libxl otherwise has no way to
 * wait for: libxl 4.17 on Linux always runs the vif's script and takes
 * its exit status as the result, whatever run_hotplug_scripts says.
 *
 *   vif-xendevd online type_if=vif   (libxl's call, with XENBUS_PATH and
 *                                     vif= in the environment)
 *
 * "online" waits until xendevd writes XENBUS_PATH/hotplug-status:
 * "connected" exits 0; "error" prints hotplug-error and exits 1. After
 * XENDEVD_WAIT seconds (default 20, below libxl's own 40) it writes the
 * error itself, so that xl fails with a message instead of hanging, and
 * exits 1. "offline", "add" and "remove" exit 0 at once: xendevd takes
 * the vif off its bridge on netback's own event.
 *
 * It reads hotplug-status every POLL_MS rather than watching it: linked
 * statically, libxenstore has no reader thread, and a watch event that
 * arrives while it waits for a reply makes it drop the connection (seen
 * in the test host).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenstore.h>

#define DEFAULT_WAIT_S 20
#define POLL_MS 20

static const char *vif_name;

/* Reads PATH (libxenstore ends it with a NUL); NULL if absent. The
 * caller frees it. */
static char *get(struct xs_handle *xs, const char *path)
{
    unsigned len;

    return xs_read(xs, XBT_NULL, path, &len);
}

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* 0: connected, 1: xendevd failed it, -1: still waiting. */
static int outcome(struct xs_handle *xs, const char *dir)
{
    char path[256];
    char *status, *error;
    int r = -1;

    snprintf(path, sizeof(path), "%s/hotplug-status", dir);
    status = get(xs, path);
    if (status && !strcmp(status, "connected")) {
        r = 0;
    } else if (status && !strcmp(status, "error")) {
        snprintf(path, sizeof(path), "%s/hotplug-error", dir);
        error = get(xs, path);
        fprintf(stderr, "vif-xendevd: %s: %s\n", vif_name,
                error ? error : "xendevd failed it (no hotplug-error)");
        free(error);
        r = 1;
    }
    free(status);
    return r;
}

static int give_up(struct xs_handle *xs, const char *dir, int wait_s)
{
    char path[256], why[160];

    snprintf(why, sizeof(why), "xendevd did not attach %s within %d s; is "
             "xendevd running? (systemctl status xendevd)", vif_name, wait_s);
    fprintf(stderr, "vif-xendevd: %s\n", why);
    snprintf(path, sizeof(path), "%s/hotplug-error", dir);
    xs_write(xs, XBT_NULL, path, why, (unsigned)strlen(why));
    snprintf(path, sizeof(path), "%s/hotplug-status", dir);
    xs_write(xs, XBT_NULL, path, "error", 5);
    return 1;
}

int main(int argc, char **argv)
{
    const char *dir = getenv("XENBUS_PATH"), *wait_env = getenv("XENDEVD_WAIT");
    const char *type_if = argc > 2 ? argv[2] : "type_if=vif";
    struct xs_handle *xs = NULL;
    long deadline;
    int wait_s = DEFAULT_WAIT_S, rc = 1;

    vif_name = getenv("vif") ? getenv("vif") : "the vif";
    if (argc < 2) {
        fprintf(stderr, "usage: vif-xendevd online|offline [type_if=vif] "
                "(run by libxl, with XENBUS_PATH set)\n");
        return 2;
    }
    if (strcmp(argv[1], "online") != 0)
        return 0;
    if (strcmp(type_if, "type_if=vif") != 0) {
        fprintf(stderr, "vif-xendevd: %s: xendevd handles PV vifs only, not "
                "emulated ones (%s); give this vif script=vif-bridge\n",
                vif_name, type_if);
        return 1;
    }
    if (!dir || !*dir || strlen(dir) > 128) {
        fprintf(stderr, "vif-xendevd: no XENBUS_PATH in the environment; "
                "this is run by libxl\n");
        return 2;
    }
    if (wait_env && atoi(wait_env) > 0)
        wait_s = atoi(wait_env);
    xs = xs_open(0);
    if (!xs) {
        fprintf(stderr, "vif-xendevd: %s: cannot reach xenstored: %s\n",
                vif_name, strerror(errno));
        return 1;
    }
    deadline = now_ms() + wait_s * 1000L;
    while ((rc = outcome(xs, dir)) < 0) {
        struct timespec pause = { .tv_nsec = POLL_MS * 1000000L };

        if (now_ms() >= deadline) {
            rc = give_up(xs, dir, wait_s);
            break;
        }
        nanosleep(&pause, NULL);
    }
    xs_close(xs);
    return rc;
}
