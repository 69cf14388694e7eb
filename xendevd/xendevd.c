/*
 * xendevd: vif hotplug from kernel uevents, in place of Xen's vif-bridge
 * script. It reads the kernel's uevents through libudev (udevd need not
 * run), attaches each of its vifs to its bridge with rtnetlink requests
 * (port.c) and, for XenStore vifs, reports to netback and libxl through
 * hotplug-status as the script does. It runs no external program.
 * See xendevd/README.md.
 *
 * One thread: an event is handled to the end before the next is read.
 * Handling is idempotent, so the scan at start (and after lost events)
 * may meet vifs that are already done.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libudev.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xenstore.h>

#include "daemonlog.h"
#include "netdev.h"
#include "port.h"
#include "tapconf.h"
#include "vifevent.h"

#define DEFAULT_BRIDGE "xenbr0"
#define DEFAULT_RUN_DIR "/run/xendevd"
#define RECEIVE_BUFFER (4 << 20)
#define WHY_MAX 256

struct options {
    const char *bridge;
    const char *run_dir;
    bool syslog;
    bool verbose;
};

struct daemon {
    struct options opt;
    struct udev *udev;
    struct udev_monitor *mon;
    struct xs_handle *xs;               /* opened when first needed */
    int signal_fd, run_dir_fd, lock_fd;
    struct netdev nd;
};

/* --- options ------------------------------------------------------------ */

static void usage(FILE *out)
{
    fprintf(out,
"Usage: xendevd [OPTION]...\n"
"Attaches Xen vifs to their bridges as they come and go, in place of Xen's\n"
"vif-bridge hotplug script, from the kernel's uevents. It runs no program.\n"
"\n"
"  -b, --bridge NAME    the bridge of vifs that name none (default %s)\n"
"  -r, --run-dir DIR    where TAP vifs are described (default %s)\n"
"  -l, --syslog         log to syslog rather than stderr\n"
"  -v, --verbose        also log the events it ignores and the vifs it\n"
"                       finds already done\n"
"  -h, --help           show this help and exit\n"
"\n"
"XenStore vifs (Linux netback) are handled when their backend asks for\n"
"vif-bridge or no script; with xl, set run_hotplug_scripts=0 in\n"
"/etc/xen/xl.conf. TAP vifs named vifDOMID.DEVID are handled when\n"
"RUN-DIR/vifDOMID.DEVID describes them. SIGTERM or SIGINT stops it; SIGHUP\n"
"makes it look at every vif again. See xendevd/README.md.\n",
            DEFAULT_BRIDGE, DEFAULT_RUN_DIR);
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(struct options *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "bridge", required_argument, NULL, 'b' },
        { "run-dir", required_argument, NULL, 'r' },
        { "syslog", no_argument, NULL, 'l' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int opt;

    o->bridge = DEFAULT_BRIDGE;
    o->run_dir = DEFAULT_RUN_DIR;
    while ((opt = getopt_long(argc, argv, "b:r:lvh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'b': o->bridge = optarg; break;
        case 'r': o->run_dir = optarg; break;
        case 'l': o->syslog = true; break;
        case 'v': o->verbose = true; break;
        case 'h': usage(stdout); return 0;
        default:
            fprintf(stderr, "Try 'xendevd --help'.\n");
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "xendevd: unexpected argument '%s'\n"
                "Try 'xendevd --help'.\n", argv[optind]);
        return 2;
    }
    if (!netdev_name_ok(o->bridge)) {
        fprintf(stderr, "xendevd: '%s' is not a valid interface name\n",
                o->bridge);
        return 2;
    }
    if (o->run_dir[0] != '/') {
        fprintf(stderr, "xendevd: --run-dir wants an absolute path, not "
                "'%s'\n", o->run_dir);
        return 2;
    }
    return -1;
}

/* --- XenStore vifs ------------------------------------------------------- */

/* Opens the connection to xenstored if it is not open. */
static bool xs_ready(struct daemon *d)
{
    if (!d->xs) {
        d->xs = xs_open(0);
        if (!d->xs)
            say("xendevd: cannot reach xenstored: %s; XenStore vifs wait "
                "until it runs (then send SIGHUP)\n", strerror(errno));
    }
    return d->xs != NULL;
}

/* Reads DIR/KEY into OUT (at most OUT_LEN - 1 bytes). 1: read, 0: absent,
 * -1: unreadable or too long (errno set). */
static int xs_get(struct daemon *d, const char *dir, const char *key,
                  char *out, size_t out_len)
{
    char path[VIF_PATH_MAX + 32];
    unsigned len;
    char *v;

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    v = xs_read(d->xs, XBT_NULL, path, &len);
    if (!v)
        return errno == ENOENT ? 0 : -1;
    if (len >= out_len || memchr(v, '\0', len)) {
        free(v);
        errno = EINVAL;
        return -1;
    }
    memcpy(out, v, len);
    out[len] = '\0';
    free(v);
    return 1;
}

static void xs_put(struct daemon *d, const struct vif_event *ev,
                   const char *dir, const char *key, const char *value)
{
    char path[VIF_PATH_MAX + 64];

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    if (!xs_write(d->xs, XBT_NULL, path, value, (unsigned)strlen(value)))
        say("xendevd: %s (domain %u, device %u): cannot write %s: %s\n",
            ev->ifname, ev->domid, ev->devid, path, strerror(errno));
}

/* The script's failure: hotplug-error says why, hotplug-status "error"
 * lets netback and libxl give up rather than wait. */
static void xs_fail(struct daemon *d, const struct vif_event *ev,
                    const char *why, const char *advice)
{
    say("xendevd: %s (domain %u, device %u): %s%s%s\n", ev->ifname,
        ev->domid, ev->devid, why, advice ? "; " : "", advice ? advice : "");
    xs_put(d, ev, ev->path, "hotplug-error", why);
    xs_put(d, ev, ev->path, "hotplug-status", "error");
}

static void xs_online(struct daemon *d, const struct vif_event *ev)
{
    char bridge[IFNAMSIZ], vifname[IFNAMSIZ] = "", text[32], why[WHY_MAX];
    char frontend[64], want_frontend[64];
    struct port_plan plan = { .ifname = ev->ifname };
    struct port_result res;
    const char *fail = NULL, *advice = NULL;
    unsigned long mtu = 0;
    int r;

    if (!xs_ready(d))
        return;
    r = xs_get(d, ev->path, "frontend", frontend, sizeof(frontend));
    if (r == 0) {
        if (d->opt.verbose)
            say("xendevd: %s (domain %u, device %u): its backend is gone\n",
                ev->ifname, ev->domid, ev->devid);
        return;
    }
    if (r < 0)                  /* unreadable: no MTU for the frontend */
        frontend[0] = '\0';
    r = xs_get(d, ev->path, "bridge", bridge, sizeof(bridge));
    if (r == 0)
        snprintf(bridge, sizeof(bridge), "%s", d->opt.bridge);
    if (r < 0 || !netdev_name_ok(bridge)) {
        fail = "its bridge key is not an interface name";
        advice = "fix bridge= in the vif's configuration";
        goto out;
    }
    r = xs_get(d, ev->path, "vifname", vifname, sizeof(vifname));
    if (r < 0 || (r > 0 && !netdev_name_ok(vifname))) {
        fail = "its vifname key is not an interface name";
        advice = "fix vifname= in the vif's configuration";
        goto out;
    }
    r = xs_get(d, ev->path, "mtu", text, sizeof(text));
    if (r > 0) {
        char *end;

        errno = 0;
        mtu = strtoul(text, &end, 10);
        if (errno || *end || end == text || mtu < 68 || mtu > 65535) {
            fail = "its mtu key is not a number from 68 to 65535";
            advice = "fix mtu= in the vif's configuration";
            goto out;
        }
    } else if (r < 0) {
        fail = "its mtu key is unreadable";
        goto out;
    }

    plan.bridge = bridge;
    plan.rename_to = vifname;
    plan.mtu = (unsigned)mtu;
    r = port_attach(&d->nd, &plan, &res, why, sizeof(why));
    if (r) {
        fail = why;
        if (r == ENODEV && strstr(why, "bridge"))
            advice = "create the bridge or fix bridge= in the vif's "
                     "configuration";
        goto out;
    }

    /* The guest learns the MTU from its frontend directory, as the
     * script tells it. */
    snprintf(want_frontend, sizeof(want_frontend),
             "/local/domain/%u/device/vif/%u", ev->domid, ev->devid);
    if (res.mtu && !strcmp(frontend, want_frontend)) {
        snprintf(text, sizeof(text), "%u", res.mtu);
        xs_put(d, ev, frontend, "mtu", text);
    }
    r = xs_get(d, ev->path, "hotplug-status", text, sizeof(text));
    if (r <= 0 || strcmp(text, "connected") != 0)
        xs_put(d, ev, ev->path, "hotplug-status", "connected");
    if (res.changed)
        say("xendevd: %s (domain %u, device %u): on bridge %s, up\n",
            res.ifname, ev->domid, ev->devid, bridge);
    else if (d->opt.verbose)
        say("xendevd: %s (domain %u, device %u): already on bridge %s\n",
            res.ifname, ev->domid, ev->devid, bridge);
out:
    if (fail)
        xs_fail(d, ev, fail, advice);
}

/* --- TAP vifs ------------------------------------------------------------ */

/* Reads RUN_DIR/IFNAME into OUT. 1: read, 0: no description, -1: a bad
 * one (said why). Only a regular file owned by this user is read. */
static int read_tapconf(struct daemon *d, const struct vif_event *ev,
                        struct tapconf *out)
{
    char text[TAPCONF_MAX];
    struct stat st;
    const char *why = NULL;
    unsigned line = 0;
    ssize_t n;
    int fd, rc = -1;

    fd = openat(d->run_dir_fd, ev->ifname,
                O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        say("xendevd: %s: cannot open its description %s/%s: %s\n",
            ev->ifname, d->opt.run_dir, ev->ifname, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
        st.st_uid != geteuid() || st.st_size > TAPCONF_MAX) {
        say("xendevd: %s: its description %s/%s is not a regular file of "
            "at most %d bytes owned by this user; left alone\n", ev->ifname,
            d->opt.run_dir, ev->ifname, TAPCONF_MAX);
        goto out;
    }
    n = read(fd, text, sizeof(text));
    if (n < 0) {
        say("xendevd: %s: cannot read %s/%s: %s\n", ev->ifname,
            d->opt.run_dir, ev->ifname, strerror(errno));
        goto out;
    }
    if (tapconf_parse(text, (size_t)n, out, &line, &why) < 0) {
        say("xendevd: %s: %s/%s line %u: %s; left alone\n", ev->ifname,
            d->opt.run_dir, ev->ifname, line, why);
        goto out;
    }
    rc = 1;
out:
    close(fd);
    return rc;
}

static void tap_online(struct daemon *d, const struct vif_event *ev)
{
    struct netdev_link link;
    struct port_plan plan = { .ifname = ev->ifname };
    struct port_result res;
    struct tapconf conf;
    char why[WHY_MAX];
    int r;

    r = netdev_by_name(&d->nd, ev->ifname, &link);
    if (r || strcmp(link.kind, "tun") != 0) {
        if (d->opt.verbose)
            say("xendevd: %s: ignored: not a TAP interface\n", ev->ifname);
        return;
    }
    r = read_tapconf(d, ev, &conf);
    if (r == 0 && d->opt.verbose)
        say("xendevd: %s: ignored: no %s/%s describes it\n", ev->ifname,
            d->opt.run_dir, ev->ifname);
    if (r <= 0)
        return;
    plan.bridge = conf.bridge[0] ? conf.bridge : d->opt.bridge;
    plan.mtu = conf.mtu;
    r = port_attach(&d->nd, &plan, &res, why, sizeof(why));
    if (r)
        say("xendevd: %s (domain %u, device %u): %s\n", ev->ifname,
            ev->domid, ev->devid, why);
    else if (res.changed)
        say("xendevd: %s (domain %u, device %u): on bridge %s, up\n",
            ev->ifname, ev->domid, ev->devid, plan.bridge);
    else if (d->opt.verbose)
        say("xendevd: %s (domain %u, device %u): already on bridge %s\n",
            ev->ifname, ev->domid, ev->devid, plan.bridge);
}

/* --- events -------------------------------------------------------------- */

static void handle(struct daemon *d, const struct vif_uevent *u)
{
    struct vif_event ev;
    char why[WHY_MAX];

    vif_event_classify(u, &ev);
    if (ev.op == VIF_IGNORE) {
        if (d->opt.verbose && !strcmp(u->subsystem ? u->subsystem : "",
                                      "xen-backend"))
            say("xendevd: %s %s: ignored: %s\n", u->action, u->sysname,
                ev.why);
        return;
    }
    if (ev.source == VIF_TAP) {
        if (ev.op == VIF_ONLINE)
            tap_online(d, &ev);
        else if (d->opt.verbose)
            say("xendevd: %s: removed\n", ev.ifname);
        return;
    }
    if (ev.op == VIF_ONLINE) {
        xs_online(d, &ev);
        return;
    }
    if (port_detach(&d->nd, ev.ifname, why, sizeof(why)))
        say("xendevd: %s (domain %u, device %u): %s\n", ev.ifname, ev.domid,
            ev.devid, why);
    else
        say("xendevd: %s (domain %u, device %u): off its bridge, down\n",
            ev.ifname, ev.domid, ev.devid);
}

static void handle_device(struct daemon *d, struct udev_device *dev,
                          const char *action)
{
    struct vif_uevent u = {
        .action = action,
        .subsystem = udev_device_get_subsystem(dev),
        .sysname = udev_device_get_sysname(dev),
        .xenbus_path = udev_device_get_property_value(dev, "XENBUS_PATH"),
        .vif = udev_device_get_property_value(dev, "vif"),
        .script = udev_device_get_property_value(dev, "script"),
    };

    handle(d, &u);
}

/* Looks at every vif there is, as if it had just come online: finishes
 * what an earlier xendevd (or a lost event) left half-done. */
static void scan(struct daemon *d)
{
    static const char *const subsystems[] = { "xen-backend", "net" };

    for (size_t i = 0; i < sizeof(subsystems) / sizeof(subsystems[0]); i++) {
        struct udev_enumerate *en = udev_enumerate_new(d->udev);
        struct udev_list_entry *e;

        if (!en || udev_enumerate_add_match_subsystem(en, subsystems[i]) < 0 ||
            udev_enumerate_add_match_sysname(en, "vif*") < 0 ||
            udev_enumerate_scan_devices(en) < 0) {
            say("xendevd: cannot list the %s devices: %s\n", subsystems[i],
                strerror(errno));
            udev_enumerate_unref(en);
            continue;
        }
        udev_list_entry_foreach(e, udev_enumerate_get_list_entry(en)) {
            struct udev_device *dev = udev_device_new_from_syspath(
                d->udev, udev_list_entry_get_name(e));

            if (!dev)
                continue;
            /* A backend whose interface netback has not made yet comes
             * online later, with its own event. */
            if (i == 1 || udev_device_get_property_value(dev, "vif"))
                handle_device(d, dev, i == 0 ? "online" : "add");
            udev_device_unref(dev);
        }
        udev_enumerate_unref(en);
    }
}

static void receive(struct daemon *d)
{
    struct udev_device *dev;

    errno = 0;
    dev = udev_monitor_receive_device(d->mon);
    if (!dev) {
        if (errno == ENOBUFS) {
            say("xendevd: events were lost (the kernel's queue was full); "
                "looking at every vif again\n");
            scan(d);
        }
        return;
    }
    if (udev_device_get_action(dev))
        handle_device(d, dev, udev_device_get_action(dev));
    udev_device_unref(dev);
}

/* --- start and stop ------------------------------------------------------ */

/* The run folder holds descriptions that say where TAPs go: only this
 * user may write it. Made if missing. */
static int open_run_dir(struct daemon *d)
{
    struct stat st;

    if (mkdir(d->opt.run_dir, 0755) < 0 && errno != EEXIST) {
        say("xendevd: cannot make %s: %s\n", d->opt.run_dir, strerror(errno));
        return -1;
    }
    d->run_dir_fd = open(d->opt.run_dir,
                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (d->run_dir_fd < 0) {
        say("xendevd: cannot open %s: %s\n", d->opt.run_dir, strerror(errno));
        return -1;
    }
    if (fstat(d->run_dir_fd, &st) < 0 || st.st_uid != geteuid() ||
        (st.st_mode & 022)) {
        say("xendevd: %s must be owned by this user and writable by no one "
            "else\n", d->opt.run_dir);
        return -1;
    }
    d->lock_fd = openat(d->run_dir_fd, "xendevd.lock",
                        O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (d->lock_fd < 0 || flock(d->lock_fd, LOCK_EX | LOCK_NB) < 0) {
        say(errno == EWOULDBLOCK
                ? "xendevd: another xendevd runs (it holds %s/xendevd.lock)\n"
                : "xendevd: cannot lock %s/xendevd.lock\n",
            d->opt.run_dir);
        return -1;
    }
    return 0;
}

static int open_monitor(struct daemon *d)
{
    d->udev = udev_new();
    if (!d->udev) {
        say("xendevd: cannot start libudev: %s\n", strerror(errno));
        return -1;
    }
    /* "kernel": the kernel's own uevents, so udevd need not run. */
    d->mon = udev_monitor_new_from_netlink(d->udev, "kernel");
    if (!d->mon) {
        say("xendevd: cannot listen to the kernel's uevents: %s\n",
            strerror(errno));
        return -1;
    }
    if (udev_monitor_filter_add_match_subsystem_devtype(d->mon, "xen-backend",
                                                        NULL) < 0 ||
        udev_monitor_filter_add_match_subsystem_devtype(d->mon, "net",
                                                        NULL) < 0 ||
        udev_monitor_filter_update(d->mon) < 0 ||
        udev_monitor_enable_receiving(d->mon) < 0) {
        say("xendevd: cannot set up the uevent monitor: %s\n",
            strerror(errno));
        return -1;
    }
    /* Best effort: a bigger queue loses fewer events to a burst of
     * creates; lost ones are found by a scan anyway. */
    (void)udev_monitor_set_receive_buffer_size(d->mon, RECEIVE_BUFFER);
    return 0;
}

static int open_signals(struct daemon *d)
{
    sigset_t sigs;

    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &sigs, NULL) < 0 ||
        (d->signal_fd = signalfd(-1, &sigs, SFD_CLOEXEC)) < 0) {
        say("xendevd: cannot set up signal handling: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

/* Serves until SIGTERM or SIGINT. 0, or -1 on a failed poll. */
static int serve(struct daemon *d)
{
    struct pollfd fds[2] = {
        { .fd = udev_monitor_get_fd(d->mon), .events = POLLIN },
        { .fd = d->signal_fd, .events = POLLIN },
    };

    for (;;) {
        struct signalfd_siginfo si;

        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            say("xendevd: poll: %s\n", strerror(errno));
            return -1;
        }
        if (fds[0].revents & (POLLHUP | POLLNVAL)) {
            say("xendevd: the uevent socket closed; stopping\n");
            return -1;
        }
        if (fds[0].revents)
            receive(d);         /* POLLERR too: ENOBUFS, lost events */
        if (fds[1].revents &&
            read(d->signal_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
            if (si.ssi_signo == SIGHUP) {
                say("xendevd: SIGHUP: looking at every vif again\n");
                scan(d);
                continue;
            }
            say("xendevd: stopping on signal %u\n", si.ssi_signo);
            return 0;
        }
    }
}

int main(int argc, char **argv)
{
    static struct daemon d;
    int rc = 1, r;

    d.signal_fd = d.run_dir_fd = d.lock_fd = d.nd.fd = -1;
    r = parse_args(&d.opt, argc, argv);
    if (r >= 0)
        return r;
    daemonlog_open("xendevd", d.opt.syslog);
    if (open_signals(&d) < 0 || open_run_dir(&d) < 0)
        goto out;
    r = netdev_open(&d.nd);
    if (r) {
        say("xendevd: cannot open an rtnetlink socket: %s\n", strerror(r));
        goto out;
    }
    /* Listening before the scan: a vif that comes meanwhile is seen at
     * least once. */
    if (open_monitor(&d) < 0)
        goto out;
    say("xendevd: started (default bridge %s, TAP descriptions in %s)\n",
        d.opt.bridge, d.opt.run_dir);
    scan(&d);
    if (serve(&d) == 0)
        rc = 0;
out:
    if (d.xs)
        xs_close(d.xs);
    udev_monitor_unref(d.mon);
    udev_unref(d.udev);
    netdev_close(&d.nd);
    if (d.lock_fd >= 0)
        close(d.lock_fd);
    if (d.run_dir_fd >= 0)
        close(d.run_dir_fd);
    if (d.signal_fd >= 0)
        close(d.signal_fd);
    return rc;
}
