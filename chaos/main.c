/*
 * chaos: an xl-compatible command line for Xen 4.17 that builds domains
 * directly with libxenctrl and libxenguest.
 *
 * Commands take xl's options, print xl's output and exit with xl's
 * statuses (chaos/XL-COMPAT.md), so a script can run chaos where it ran xl.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "chaosd_msg.h"
#include "client.h"
#include "console.h"
#include "domcfg.h"
#include "info.h"
#include "list.h"
#include "pool.h"
#include "sched.h"
#include "toolstack.h"
#include "timing.h"
#include "xlcfg.h"

struct command {
    const char *name;
    int (*run)(const struct command *cmd, int argc, char **argv);
    const char *usage;          /* after "chaos NAME " */
    const char *summary;        /* one line, no final '.' */
    const char *options;        /* the options section, or NULL */
    const char *optstring;      /* getopt options besides -h */
    const struct option *longopts;
    int min_args;               /* positional arguments required */
};

static const struct command commands[];
static const size_t n_commands;

static void print_help(const struct command *cmd)
{
    printf("Usage: chaos %s %s\n\n%s.\n\n", cmd->name, cmd->usage,
           cmd->summary);
    if (cmd->options)
        printf("Options:\n\n%s\n", cmd->options);
}

static void print_overview(FILE *out)
{
    fprintf(out, "Usage chaos <subcommand> [args]\n\n"
            "chaos full list of subcommands:\n\n");
    for (size_t i = 0; i < n_commands; i++)
        fprintf(out, " %-19s %s\n", commands[i].name, commands[i].summary);
}

/*
 * Parses CMD's options as xl does: stops at the first argument that is
 * not an option; -h/--help prints the help (exit 0); an unknown option or
 * missing positional arguments exit 2. Calls SEEN for each option. Returns
 * -1 to go on (with *OPTIND_OUT the first positional) or an exit status.
 */
static int parse_options(const struct command *cmd, int argc, char **argv,
                         void (*seen)(int opt, const char *arg, void *ctx),
                         void *ctx, int *optind_out)
{
    static const struct option help_only[] = {
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
    };
    const char *own = cmd->optstring ? cmd->optstring : "";
    size_t n = strlen(own);
    char optstring[32] = "+h";
    int opt;

    /* Not snprintf: a create through chaosd formats nothing, and each
     * part of the program it runs costs it page faults (README.md, "How
     * fast"). The table's strings are far shorter than the buffer. */
    if (n > sizeof(optstring) - 3)
        n = sizeof(optstring) - 3;
    memcpy(optstring + 2, own, n);
    optstring[2 + n] = '\0';
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, optstring,
                              cmd->longopts ? cmd->longopts : help_only,
                              NULL)) != -1) {
        if (opt == 'h') {
            print_help(cmd);
            return 0;
        }
        if (opt == '?' || opt == ':') {
            fprintf(stderr, "option `%c' not supported.\n", optopt);
            return 2;
        }
        seen(opt, optarg, ctx);
    }
    if (argc - optind < cmd->min_args) {
        fprintf(stderr, "'chaos %s' requires at least %d argument%s.\n\n",
                cmd->name, cmd->min_args, cmd->min_args > 1 ? "s" : "");
        print_help(cmd);
        return 2;
    }
    *optind_out = optind;
    return -1;
}

static void no_options(int opt, const char *arg, void *ctx)
{
    (void)opt, (void)arg, (void)ctx;
}

/* Flags set by a command's options, by letter. */
struct flags {
    bool set[128];
    int count[128];
    const char *arg[128];
};

static void record_option(int opt, const char *arg, void *ctx)
{
    struct flags *f = ctx;

    if (opt > 0 && opt < 128) {
        f->set[opt] = true;
        f->count[opt]++;
        f->arg[opt] = arg;
    }
}

/* chaosd is asked once per command whether it is there: CHAOSD_SAID is
 * client_connect's answer (2: not asked yet), CHAOSD_FD the connection it
 * made, kept for the command's request. */
static int chaosd_said = 2;
static int chaosd_fd = -1;

static int ask_chaosd(FILE *err)
{
    if (chaosd_said == 2)
        chaosd_said = client_connect(&chaosd_fd, err);
    return chaosd_said;
}

/* Whether a chaosd answers on its socket (one that refuses this caller
 * counts: it is there, and it does the reaping). */
static bool chaosd_running(void)
{
    FILE *quiet;
    int r;

    if (chaosd_said != 2)
        return chaosd_said != 0;
    quiet = fopen("/dev/null", "w");
    r = ask_chaosd(quiet ? quiet : stderr);
    if (quiet)
        fclose(quiet);
    return r != 0;
}

/* Opens the toolstack or exits as xl does when it has no Xen; then, when
 * no chaosd does it, does what xl's monitors would have done to domains
 * that shut down. */
static void open_toolstack(struct toolstack *ts)
{
    timing_mark("start");
    if (ts_open(ts, stderr) < 0)
        exit(1);
    timing_mark("opened");
    if (!chaosd_running())
        ts_reap(ts, stderr);
    timing_mark("reaped");
}

/* Connects to chaosd: 1 (connection in *FD), 0 (none runs: work
 * directly) or -1 (said why). */
static int to_chaosd(int *fd)
{
    int r;

    if (chaosd_said < 0)                /* refused quietly: say why now */
        chaosd_said = 2;
    r = ask_chaosd(stderr);
    if (r > 0) {
        *fd = chaosd_fd;
        chaosd_fd = -1;
        chaosd_said = 2;
    }
    return r;
}

/* Shows DOMID's console (see console.h): through chaosd when it serves
 * it, else from the ring or xenconsoled. Returns an exit status. */
static int show_console(struct toolstack *ts, uint32_t domid, bool follow)
{
    int fd, rc = to_chaosd(&fd);

    if (rc < 0)
        return 1;
    if (rc > 0) {
        rc = console_chaosd(fd, domid, follow, stderr);
        close(fd);
        if (rc != CONSOLE_ELSEWHERE)
            return rc;
    }
    return console_run(ts, domid, follow, stderr);
}

/* A command's exchange with chaosd: the request may be encoded here, and
 * the reply is received over it (the request is gone by then), so that
 * both touch the same pages. */
static unsigned char exchange[CHAOSD_MSG_MAX];

/* Sends MSG (LEN bytes, with N_FDS descriptors FDS) on FD, the only
 * request the command makes on it; prints the reply's texts and returns
 * its status, or 1 when the exchange fails. */
static int call_chaosd(int fd, const void *msg, size_t len, const int *fds,
                       size_t n_fds, uint32_t *domid)
{
    struct chaosd_msg reply;

    if (!len) {
        fprintf(stderr, "chaos: the request does not fit a chaosd message "
                "(%d bytes)\n", CHAOSD_MSG_MAX);
        return 1;
    }
    if (client_call(fd, msg, len, fds, n_fds, true, exchange, &reply,
                    stderr) < 0)
        return 1;
    if (domid)
        *domid = reply.u.reply.domid;
    return client_finish(&reply, stdout, stderr);
}

/* Opens the kernel and ramdisk CONFIG names, for chaosd, into FDS: the
 * number opened (1 or 2), or 0 after closing any. With CHECKED, CONFIG
 * is read as the direct mode reads it, and what is wrong with it (or
 * with a file) is printed, with the exit status the direct mode has for
 * it in *STATUS; without, it is only parsed, and nothing is printed:
 * chaosd reads it fully again, warnings and all, and a caller that gets
 * 0 asks again with CHECKED to learn why. */
static int open_images(const char *file, const char *config,
                       size_t config_len, bool checked, int fds[2],
                       int *status)
{
    struct xlcfg cfg;
    struct domcfg dc;
    char *said = NULL;
    size_t said_len = 0;
    FILE *quiet = NULL;
    const char *paths[2] = { NULL, NULL };
    int n = 0, r;

    *status = 1;
    xlcfg_init(&cfg);
    domcfg_init(&dc);
    if (!checked) {
        if (xlcfg_parse(&cfg, file, config, config_len, NULL) != 0 ||
            xlcfg_get_string(&cfg, "kernel", &paths[0]) != 0)
            goto out;
        r = xlcfg_get_string(&cfg, "ramdisk", &paths[1]);
        if (r != 0 && r != ESRCH)
            goto out;
    } else {
        quiet = open_memstream(&said, &said_len);
        if (!quiet)
            goto out;
        r = ts_parse_config(file, config, config_len, &dc, quiet);
        fclose(quiet);
        if (r) {
            fwrite(said, 1, said_len, stderr);
            goto out;
        }
        paths[0] = dc.kernel;
        paths[1] = dc.ramdisk;
    }
    *status = -ERROR_FAIL;
    if (paths[1] && !*paths[1])         /* as domcfg reads it: none */
        paths[1] = NULL;
    for (; n < (paths[1] ? 2 : 1); n++) {
        fds[n] = open(paths[n], O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fds[n] < 0) {
            if (checked)
                fprintf(stderr, "chaos: cannot read the %s %s: %s\n",
                        n ? "ramdisk" : "kernel", paths[n], strerror(errno));
            while (n > 0)
                close(fds[--n]);
            break;
        }
    }
out:
    free(said);
    domcfg_dispose(&dc);
    xlcfg_dispose(&cfg);
    return n;
}

/* chaos create's request to chaosd: the kernel and ramdisk CONFIG names
 * opened into FDS as open_images does (CHECKED and *STATUS as there), and
 * the request encoded into exchange, its length in *LEN (0: it does not
 * fit a message). Returns the number of descriptors, 0 when none. */
static int prepare_create(const char *file, const char *config,
                          size_t config_len, bool paused, bool checked,
                          int fds[2], size_t *len, int *status)
{
    int n_fds = open_images(file, config, config_len, checked, fds, status);

    if (n_fds)
        *len = chaosd_encode_create(exchange, sizeof(exchange), 1,
                                    paused ? CHAOSD_CREATE_PAUSED : 0,
                                    (uint32_t)n_fds, file, strlen(file),
                                    config, config_len);
    return n_fds;
}

/* --- create ------------------------------------------------------------ */

static int read_config(const char *path, char **data, size_t *len)
{
    void *buf;
    int rc;

    if (strcmp(path, "/dev/null") == 0) {
        *data = strdup("");
        *len = 0;
        return *data ? 0 : ENOMEM;
    }
    rc = build_read_file(path, &buf, len);
    if (rc == EINVAL) {             /* empty: a valid, empty config */
        *data = strdup("");
        *len = 0;
        return *data ? 0 : ENOMEM;
    }
    if (rc == 0)
        *data = buf;
    return rc;
}

static int cmd_create(const struct command *cmd, int argc, char **argv)
{
    struct flags f = { 0 };
    const char *file = NULL;
    char **extra = NULL, *data = NULL, *config = NULL;
    size_t n_extra = 0, data_len = 0, config_len = 0;
    struct toolstack ts = { 0 };
    struct ts_files files = { 0 };
    uint32_t domid;
    size_t len = 0;
    int fds[2] = { -1, -1 }, n_fds = 0;
    int rc, r, first, daemon;

    /* xl takes a leading config file before the options. */
    if (argc > 1 && argv[1][0] != '-' && !strchr(argv[1], '=')) {
        file = argv[1];
        argv++;
        argc--;
    }
    rc = parse_options(cmd, argc, argv, record_option, &f, &first);
    if (rc >= 0)
        goto out;
    if (f.set['f'])
        file = f.arg['f'];
    extra = calloc((size_t)argc, sizeof(*extra));
    if (!extra) {
        rc = 3;
        goto out;
    }
    for (int i = first; i < argc; i++) {
        if (strchr(argv[i], '=')) {
            extra[n_extra++] = argv[i];
        } else if (!file) {
            file = argv[i];
        } else {
            print_help(cmd);
            rc = 2;
            goto out;
        }
    }
    if (!file) {
        fprintf(stderr, "Config file not specified and none in save file\n");
        rc = -ERROR_INVAL;
        goto out;
    }
    r = read_config(file, &data, &data_len);
    if (r) {
        fprintf(stderr, "Failed to read config file: %s: %s\n", file,
                strerror(r));
        rc = -ERROR_FAIL;
        goto out;
    }
    if (!f.set['q'])
        fprintf(stderr, "Parsing config from %s\n", file);
    config = xlcfg_compose(data, data_len, extra, n_extra, &config_len);
    if (!config) {
        fprintf(stderr, "Failed to attach extra configuration\n");
        rc = -ERROR_FAIL;
        goto out;
    }
    if (f.set['n']) {
        struct domcfg dc;

        domcfg_init(&dc);
        rc = ts_parse_config(file, config, config_len, &dc, stderr);
        if (rc == 0) {
            list_print_config(stdout, &dc, dc.uuid_set ? dc.uuid : NULL, 0);
            putchar('\n');
        }
        domcfg_dispose(&dc);
        goto out;
    }
    /* The request is ready before the connection, so that it follows at
     * once and chaosd serves both in one wakeup (see chaosd's run). The
     * configuration is read here only to find the kernel and ramdisk,
     * which go to chaosd as descriptors. */
    n_fds = prepare_create(file, config, config_len, f.set['p'], false, fds,
                           &len, &rc);
    r = to_chaosd(&daemon);
    if (r < 0) {
        rc = 1;
        goto out;
    }
    if (r > 0) {
        if (!n_fds)
            n_fds = prepare_create(file, config, config_len, f.set['p'], true,
                                   fds, &len, &rc);
        if (n_fds)
            rc = call_chaosd(daemon, exchange, len, fds, (size_t)n_fds,
                             &domid);
        close(daemon);
        if (rc == 0 && f.set['c']) {
            open_toolstack(&ts);
            rc = show_console(&ts, domid, true);
        }
        goto out;
    }
    open_toolstack(&ts);
    files.fds = fds;
    files.n_fds = (size_t)n_fds;
    rc = ts_create_config(&ts, file, config, config_len, n_fds ? &files : NULL,
                          f.set['p'], &domid, stderr);
    if (rc == 0 && f.set['c'])
        rc = console_run(&ts, domid, true, stderr);
out:
    for (int i = 0; i < n_fds; i++)
        close(fds[i]);
    ts_close(&ts);
    free(config);
    free(data);
    free(extra);
    return rc;
}

/* --- list -------------------------------------------------------------- */

static void fill_entry(struct list_entry *e, const xc_domaininfo_t *info,
                       const char *name)
{
    uint32_t fl = info->flags;

    memset(e, 0, sizeof(*e));
    e->name = name;
    e->domid = info->domain;
    e->mem_kb = (info->tot_pages + info->outstanding_pages) *
                (XC_PAGE_SIZE / 1024);
    e->online_vcpus = info->nr_online_vcpus;
    e->running = fl & XEN_DOMINF_running;
    e->blocked = fl & XEN_DOMINF_blocked;
    e->paused = fl & XEN_DOMINF_paused;
    e->shutdown = fl & XEN_DOMINF_shutdown;
    e->dying = fl & XEN_DOMINF_dying;
    e->shutdown_reason = (fl >> XEN_DOMINF_shutdownshift) &
                         XEN_DOMINF_shutdownmask;
    e->cpu_time_ns = info->cpu_time;
    memcpy(e->uuid, info->handle, sizeof(e->uuid));
}

/*
 * list -l: the configuration of each of chaos's domains among INFOS (only
 * ONLY when not NULL), from its record, as JSON. Domains chaos has no
 * record of are left out, as xl leaves out those it has no config of.
 */
static int print_long(struct toolstack *ts, const xc_domaininfo_t *infos,
                      size_t n, const uint32_t *only)
{
    struct domcfg *cfgs = calloc(n ? n : 1, sizeof(*cfgs));
    const struct domcfg **ptrs = calloc(n ? n : 1, sizeof(*ptrs));
    uint32_t *domids = calloc(n ? n : 1, sizeof(*domids));
    uint8_t (*uuids)[16] = calloc(n ? n : 1, sizeof(*uuids));
    FILE *quiet = fopen("/dev/null", "w");
    size_t m = 0;
    int rc = 1;

    if (!cfgs || !ptrs || !domids || !uuids || !quiet)
        goto out;
    for (size_t i = 0; i < n; i++) {
        struct state_domain rec;
        struct xlcfg cfg;

        if ((only && infos[i].domain != *only) ||
            state_load(&ts->state, infos[i].domain, &rec) != 0)
            continue;
        xlcfg_init(&cfg);
        domcfg_init(&cfgs[m]);
        if (memcmp(rec.uuid, infos[i].handle, sizeof(rec.uuid)) == 0 &&
            xlcfg_parse(&cfg, rec.name, rec.config, rec.config_len,
                        quiet) == 0 &&
            domcfg_from_xlcfg(&cfgs[m], &cfg, rec.name, quiet) == 0) {
            domids[m] = infos[i].domain;
            memcpy(uuids[m], rec.uuid, sizeof(uuids[m]));
            ptrs[m] = &cfgs[m];
            m++;
        }
        xlcfg_dispose(&cfg);
        state_domain_free(&rec);
    }
    list_print_json(stdout, m, domids, ptrs, (const uint8_t (*)[16])uuids);
    putchar('\n');                     /* xl prints it with puts() */
    rc = 0;
out:
    for (size_t i = 0; cfgs && i < m; i++)
        domcfg_dispose(&cfgs[i]);
    if (quiet)
        fclose(quiet);
    free(uuids);
    free(domids);
    free(ptrs);
    free(cfgs);
    return rc;
}

static int cmd_list(const struct command *cmd, int argc, char **argv)
{
    struct flags f = { 0 };
    struct toolstack ts = { 0 };
    xc_domaininfo_t *infos = NULL;
    char **names = NULL;
    size_t n = 0;
    uint32_t only = 0;
    bool one = false, found = false;
    int rc, first;

    rc = parse_options(cmd, argc, argv, record_option, &f, &first);
    if (rc >= 0)
        return rc;
    if (argc - first > 1) {
        print_help(cmd);
        return 1;
    }
    open_toolstack(&ts);
    if (argc - first == 1) {
        one = true;
        if (ts_find_domain(&ts, argv[first], &only, stderr) < 0) {
            rc = 1;
            goto out;
        }
    }
    if (ts_list(&ts, &infos, &n) < 0) {
        fprintf(stderr, "libxl_list_domain failed.\n");
        rc = 1;
        goto out;
    }
    if (!f.set['S']) {
        size_t kept = 0;

        for (size_t i = 0; i < n; i++)
            if (!pool_is_shell(infos[i].handle))
                infos[kept++] = infos[i];
        n = kept;
    }
    for (size_t i = 0; i < n && one && !found; i++)
        found = infos[i].domain == only;
    if (one && !found) {
        fprintf(stderr, "Error: Domain '%s' does not exist.\n", argv[first]);
        rc = 1;
        goto out;
    }
    if (f.set['l']) {
        rc = print_long(&ts, infos, n, one ? &only : NULL);
        goto out;
    }
    names = calloc(n ? n : 1, sizeof(*names));
    if (!names) {
        rc = 1;
        goto out;
    }
    if (!one)
        ts_forget_gone(&ts, NULL, 0, NULL, NULL);
    ts_names(&ts, infos, n, names);
    list_print_header(stdout, f.set['v']);
    for (size_t i = 0; i < n; i++) {
        struct list_entry e;

        if (one && infos[i].domain != only)
            continue;
        fill_entry(&e, &infos[i], names[i]);
        list_print_entry(stdout, &e, f.set['v']);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    rc = 0;
out:
    free(infos);
    ts_close(&ts);
    return rc;
}

/* --- destroy, pause, unpause, domid, domname --------------------------- */

static int cmd_destroy(const struct command *cmd, int argc, char **argv)
{
    unsigned char msg[sizeof(struct chaosd_hdr) +
                      sizeof(struct chaosd_destroy_named) + CHAOSD_DOMAIN_MAX];
    struct flags f = { 0 };
    struct toolstack ts = { 0 };
    const char *dom;
    uint32_t domid;
    int rc, first, daemon = -1, r;
    size_t len;

    rc = parse_options(cmd, argc, argv, record_option, &f, &first);
    if (rc >= 0)
        return rc;
    dom = argv[first];
    r = to_chaosd(&daemon);
    if (r < 0)
        return 1;
    if (r > 0 && strlen(dom) <= CHAOSD_DOMAIN_MAX) {
        /* chaosd resolves DOM itself: this process needs nothing of Xen. */
        rc = call_chaosd(daemon, msg,
                         chaosd_encode_destroy_named(msg, sizeof(msg), 1,
                             f.set['f'] ? CHAOSD_DESTROY_FORCE : 0, dom,
                             strlen(dom)),
                         NULL, 0, NULL);
        goto out;
    }
    if (r == 0) {
        open_toolstack(&ts);
    } else if (ts_open(&ts, stderr) < 0) {
        rc = 1;
        goto out;
    }
    if (ts_find_destroyable(&ts, dom, f.set['f'], &domid, stderr) < 0) {
        rc = 1;
    } else if (r > 0) {                 /* a name too long for DESTROY_NAMED */
        len = chaosd_encode_destroy(msg, sizeof(msg), 1, domid);
        rc = call_chaosd(daemon, msg, len, NULL, 0, NULL);
    } else {
        rc = ts_destroy(&ts, domid, stderr);
        if (rc)
            fprintf(stderr, "destroy failed (rc=%d)\n", rc);
        rc = rc ? 1 : 0;
    }
out:
    if (daemon >= 0)
        close(daemon);
    ts_close(&ts);
    return rc;
}

/* --- pool -------------------------------------------------------------- */

static int cmd_pool(const struct command *cmd, int argc, char **argv)
{
    unsigned char msg[sizeof(struct chaosd_hdr)];
    int rc, first, daemon, r;

    rc = parse_options(cmd, argc, argv, no_options, NULL, &first);
    if (rc >= 0)
        return rc;
    r = to_chaosd(&daemon);
    if (r == 0) {
        char path[PATH_MAX];

        client_socket_path(path, sizeof(path));
        fprintf(stderr, "chaos: chaosd is not running (no socket at %s); "
                "pools exist only in chaosd\n", path);
    }
    if (r <= 0)
        return 1;
    rc = call_chaosd(daemon, msg, chaosd_encode_pool(msg, sizeof(msg), 1),
                     NULL, 0, NULL);
    close(daemon);
    return rc;
}

/* shutdown and reboot: xl's output; -w waits for the domains to shut
 * down (-ww: to be destroyed), carrying out their on_* actions. */
static int shutdown_or_reboot(const struct command *cmd, int argc,
                              char **argv, bool reboot)
{
    struct flags f = { 0 };
    struct toolstack ts;
    xc_domaininfo_t *infos = NULL;
    uint32_t *wait = NULL;
    size_t n = 0, n_wait = 0, left;
    int rc, first;

    rc = parse_options(cmd, argc, argv, record_option, &f, &first);
    if (rc >= 0)
        return rc;
    if (first >= argc && !f.set['a']) {
        fprintf(stderr, "You must specify -a or a domain id.\n\n");
        return 1;
    }
    open_toolstack(&ts);
    rc = 1;
    if (f.set['a']) {
        if (ts_list(&ts, &infos, &n) < 0) {
            fprintf(stderr, "libxl_list_domain failed.\n");
            goto out;
        }
    } else {
        uint32_t domid;

        infos = calloc(1, sizeof(*infos));
        if (!infos || ts_find_domain(&ts, argv[first], &domid, stderr) < 0)
            goto out;
        infos[0].domain = (domid_t)domid;
        n = 1;
    }
    wait = calloc(n ? n : 1, sizeof(*wait));
    if (!wait)
        goto out;
    for (size_t i = 0; i < n; i++) {
        uint32_t domid = infos[i].domain;
        int r;

        if (f.set['a'] && domid == 0)
            continue;
        fprintf(stderr, "%s domain %u\n", reboot ? "Rebooting" : "Shutting down",
                domid);
        r = ts_shutdown(&ts, domid, reboot, f.set['F'], stderr);
        if (r) {
            fprintf(stderr, "%s failed (rc=%d)\n", reboot ? "reboot" : "shutdown",
                    r);
            goto out;
        }
        wait[n_wait++] = domid;
    }
    if (f.set['w']) {
        fprintf(stderr, "Waiting for %zu domains\n", n_wait);
        for (left = n_wait; left > 0;) {
            struct timespec tick = { 0, 100 * 1000000L };

            for (size_t i = 0; i < n_wait; i++) {
                xc_domaininfo_t info;
                bool gone;

                if (wait[i] == UINT32_MAX)
                    continue;
                gone = xc_domain_getinfolist(ts.xch, wait[i], 1, &info) != 1 ||
                       info.domain != wait[i];
                if (gone) {
                    fprintf(stderr, "Domain %u has been destroyed\n", wait[i]);
                } else if ((info.flags & XEN_DOMINF_shutdown) &&
                           f.count['w'] < 2) {
                    fprintf(stderr, "Domain %u has been shut down, reason code "
                            "%u\n", wait[i], (info.flags >> XEN_DOMINF_shutdownshift) &
                            XEN_DOMINF_shutdownmask);
                } else {
                    continue;
                }
                wait[i] = UINT32_MAX;
                left--;
            }
            ts_reap(&ts, stderr);
            if (left)
                nanosleep(&tick, NULL);
        }
    }
    rc = 0;
out:
    free(wait);
    free(infos);
    ts_close(&ts);
    return rc;
}

static int cmd_shutdown(const struct command *cmd, int argc, char **argv)
{
    return shutdown_or_reboot(cmd, argc, argv, false);
}

static int cmd_reboot(const struct command *cmd, int argc, char **argv)
{
    return shutdown_or_reboot(cmd, argc, argv, true);
}

/* pause and unpause: like xl, the result does not change the exit status
 * (only a bad domain name does), but a failure is said. */
static int pause_or_unpause(const struct command *cmd, int argc, char **argv,
                            bool pause)
{
    struct toolstack ts;
    uint32_t domid;
    int rc, first;

    rc = parse_options(cmd, argc, argv, no_options, NULL, &first);
    if (rc >= 0)
        return rc;
    open_toolstack(&ts);
    rc = 0;
    if (ts_find_domain(&ts, argv[first], &domid, stderr) < 0)
        rc = 1;
    else if ((pause ? xc_domain_pause : xc_domain_unpause)(ts.xch, domid) < 0)
        fprintf(stderr, "chaos: domain %u: cannot %s it: %s\n", domid,
                pause ? "pause" : "unpause", strerror(errno));
    ts_close(&ts);
    return rc;
}

static int cmd_pause(const struct command *cmd, int argc, char **argv)
{
    return pause_or_unpause(cmd, argc, argv, true);
}

static int cmd_unpause(const struct command *cmd, int argc, char **argv)
{
    return pause_or_unpause(cmd, argc, argv, false);
}

static int cmd_domid(const struct command *cmd, int argc, char **argv)
{
    struct toolstack ts;
    uint32_t domid;
    int rc, first;

    rc = parse_options(cmd, argc, argv, no_options, NULL, &first);
    if (rc >= 0)
        return rc;
    open_toolstack(&ts);
    if (ts_name_to_domid(&ts, argv[first], &domid) == 0) {
        printf("%u\n", domid);
        rc = 0;
    } else {
        fprintf(stderr, "Can't get domid of domain name '%s', maybe this "
                "domain does not exist.\n", argv[first]);
        rc = 1;
    }
    ts_close(&ts);
    return rc;
}

static int cmd_domname(const struct command *cmd, int argc, char **argv)
{
    struct toolstack ts;
    xc_domaininfo_t info;
    char *end, *name = NULL;
    long id;
    int rc, first;

    rc = parse_options(cmd, argc, argv, no_options, NULL, &first);
    if (rc >= 0)
        return rc;
    id = strtol(argv[first], &end, 10);
    if (id == 0 && end == argv[first]) {
        fprintf(stderr, "Invalid domain id.\n\n");
        return 1;
    }
    open_toolstack(&ts);
    if (id >= 0 && id < DOMID_FIRST_RESERVED &&
        xc_domain_getinfolist(ts.xch, (uint32_t)id, 1, &info) == 1 &&
        info.domain == id)
        name = ts_name(&ts, &info);
    if (name) {
        printf("%s\n", name);
        rc = 0;
    } else {
        fprintf(stderr, "Can't get domain name of domain id '%u', maybe this "
                "domain does not exist.\n", (unsigned int)id);
        rc = 1;
    }
    free(name);
    ts_close(&ts);
    return rc;
}

/* --- info ---------------------------------------------------------------- */

/* What struct info points into. */
struct info_text {
    struct utsname uts;
    xen_extraversion_t extra;
    xen_capabilities_info_t caps;
    xen_changeset_info_t changeset;
    xen_commandline_t commandline;
    xen_compile_info_t compile;
    char build_id[2 * 256 + 1];
};

/* Fills INFO (pointing into TEXT) from uname(2) and libxenctrl, leaving
 * out, as xl does, what cannot be read. */
static void gather_info(struct info *info, struct info_text *text,
                        xc_interface *xch)
{
    xc_physinfo_t phys = { 0 };
    xen_platform_parameters_t params = { 0 };
    union {
        xen_build_id_t id;
        unsigned char space[sizeof(xen_build_id_t) + 256];
    } bid;
    xc_cpumap_t free_map;
    int ver, max_cpus, n;

    memset(info, 0, sizeof(*info));
    memset(text, 0, sizeof(*text));
    if (uname(&text->uts) == 0) {
        info->have_uname = true;
        info->host = text->uts.nodename;
        info->release = text->uts.release;
        info->version = text->uts.version;
        info->machine = text->uts.machine;
    }
    if (xc_physinfo(xch, &phys) == 0) {
        uint32_t c = phys.capabilities;

        info->have_physinfo = true;
        info->nr_cpus = phys.nr_cpus;
        info->max_cpu_id = phys.max_cpu_id;
        info->nr_nodes = phys.nr_nodes;
        info->cores_per_socket = phys.cores_per_socket;
        info->threads_per_core = phys.threads_per_core;
        info->cpu_khz = phys.cpu_khz;
        memcpy(info->hw_cap, phys.hw_cap, sizeof(info->hw_cap));
        info->cap_pv = c & XEN_SYSCTL_PHYSCAP_pv;
        info->cap_hvm = c & XEN_SYSCTL_PHYSCAP_hvm;
        info->cap_hvm_directio = c & XEN_SYSCTL_PHYSCAP_directio;
        info->cap_hap = c & XEN_SYSCTL_PHYSCAP_hap;
        info->cap_shadow = c & XEN_SYSCTL_PHYSCAP_shadow;
        info->cap_iommu_hap_pt_share = c & XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share;
        info->cap_vmtrace = c & XEN_SYSCTL_PHYSCAP_vmtrace;
        info->cap_vpmu = c & XEN_SYSCTL_PHYSCAP_vpmu;
        info->cap_gnttab_v1 = c & XEN_SYSCTL_PHYSCAP_gnttab_v1;
        info->cap_gnttab_v2 = c & XEN_SYSCTL_PHYSCAP_gnttab_v2;
        info->total_pages = phys.total_pages;
        info->free_pages = phys.free_pages;
        info->outstanding_pages = phys.outstanding_pages;
        info->sharing_freed_pages = (uint64_t)xc_sharing_freed_pages(xch);
        info->sharing_used_frames = (uint64_t)xc_sharing_used_frames(xch);
    }
    max_cpus = xc_get_max_cpus(xch);
    free_map = xc_cpupool_freeinfo(xch);
    if (free_map && max_cpus > 0) {
        info->have_free_cpus = true;
        for (int cpu = 0; cpu < max_cpus; cpu++)
            info->free_cpus += (free_map[cpu / 8] >> (cpu % 8)) & 1;
    }
    free(free_map);
    ver = xc_version(xch, XENVER_version, NULL);
    if (ver >= 0 &&
        xc_version(xch, XENVER_extraversion, &text->extra) >= 0 &&
        xc_version(xch, XENVER_capabilities, &text->caps) >= 0 &&
        xc_version(xch, XENVER_changeset, &text->changeset) >= 0 &&
        xc_version(xch, XENVER_compile_info, &text->compile) >= 0 &&
        xc_version(xch, XENVER_platform_parameters, &params) >= 0) {
        info->have_version = true;
        info->xen_major = ver >> 16;
        info->xen_minor = ver & 0xff;
        info->xen_extra = text->extra;
        info->xen_caps = text->caps;
        info->xen_changeset = text->changeset;
        if (xc_version(xch, XENVER_commandline, &text->commandline) >= 0)
            info->xen_commandline = text->commandline;
        info->cc_compiler = text->compile.compiler;
        info->cc_compile_by = text->compile.compile_by;
        info->cc_compile_domain = text->compile.compile_domain;
        info->cc_compile_date = text->compile.compile_date;
        info->pagesize = (unsigned int)xc_version(xch, XENVER_pagesize, NULL);
        info->virt_start = params.virt_start;
        bid.id.len = 256;
        n = xc_version(xch, XENVER_build_id, &bid.id);
        for (int i = 0; i < n && i < 256; i++)
            snprintf(text->build_id + 2 * i, 3, "%02hhx", bid.id.buf[i]);
        info->build_id = text->build_id;
    }
    info->have_scheduler = xc_sched_id(xch, &info->scheduler_id) == 0;
}

static int cmd_info(const struct command *cmd, int argc, char **argv)
{
    struct toolstack ts;
    struct info info;
    struct info_text text;
    int rc, first;

    rc = parse_options(cmd, argc, argv, no_options, NULL, &first);
    if (rc >= 0)
        return rc;
    open_toolstack(&ts);
    gather_info(&info, &text, ts.xch);
    info_print(stdout, stderr, &info, first < argc ? argv[first] : NULL);
    ts_close(&ts);
    return 0;
}

/* --- sched-credit2 ------------------------------------------------------- */

/* Runs in this process with or without chaosd, as info does: it is a few
 * hypercalls and keeps no state. */
static int cmd_sched_credit2(const struct command *cmd, int argc, char **argv)
{
    struct flags f = { 0 };
    struct sched_request r = { 0 };
    struct toolstack ts;
    int rc, first;

    rc = parse_options(cmd, argc, argv, record_option, &f, &first);
    if (rc >= 0)
        return rc;
    if (first < argc) {
        print_help(cmd);
        return 1;
    }
    r.dom = f.arg['d'];
    r.weight = f.arg['w'];
    r.cap = f.arg['c'];
    r.ratelimit_us = f.arg['r'];
    r.cpupool = f.arg['p'];
    r.params = f.set['s'];
    open_toolstack(&ts);
    rc = sched_credit2(&ts, &r, stdout, stderr);
    ts_close(&ts);
    return rc;
}

/* --- console ------------------------------------------------------------- */

static int cmd_console(const struct command *cmd, int argc, char **argv)
{
    struct flags f = { 0 };
    struct toolstack ts;
    uint32_t domid;
    bool follow;
    int rc, first;

    rc = parse_options(cmd, argc, argv, record_option, &f, &first);
    if (rc >= 0)
        return rc;
    follow = !f.set['n'] && isatty(STDOUT_FILENO);
    open_toolstack(&ts);
    if (ts_find_domain(&ts, argv[first], &domid, stderr) < 0) {
        rc = 1;
        goto out;
    }
    rc = show_console(&ts, domid, follow);
out:
    ts_close(&ts);
    return rc;
}

/* --- help and dispatch ---------------------------------------------------- */

static int cmd_help(const struct command *cmd, int argc, char **argv)
{
    (void)cmd;
    if (argc < 2 || strcmp(argv[1], "help") == 0) {
        print_overview(stdout);
        return 0;
    }
    for (size_t i = 0; i < n_commands; i++) {
        if (strcmp(commands[i].name, argv[1]) == 0) {
            print_help(&commands[i]);
            return 0;
        }
    }
    printf("command \"%s\" not implemented\n", argv[1]);
    return 0;
}

static const struct option create_longopts[] = {
    { "help", no_argument, NULL, 'h' },
    { "dryrun", no_argument, NULL, 'n' },
    { "quiet", no_argument, NULL, 'q' },
    { "defconfig", required_argument, NULL, 'f' },
    { NULL, 0, NULL, 0 },
};

static const struct option list_longopts[] = {
    { "help", no_argument, NULL, 'h' },
    { "long", no_argument, NULL, 'l' },
    { "verbose", no_argument, NULL, 'v' },
    { "shells", no_argument, NULL, 'S' },
    { NULL, 0, NULL, 0 },
};

static const struct option sched_longopts[] = {
    { "help", no_argument, NULL, 'h' },
    { "domain", required_argument, NULL, 'd' },
    { "weight", required_argument, NULL, 'w' },
    { "cap", required_argument, NULL, 'c' },
    { "schedparam", no_argument, NULL, 's' },
    { "ratelimit_us", required_argument, NULL, 'r' },
    { "cpupool", required_argument, NULL, 'p' },
    { NULL, 0, NULL, 0 },
};

static const struct option shutdown_longopts[] = {
    { "help", no_argument, NULL, 'h' },
    { "all", no_argument, NULL, 'a' },
    { "wait", no_argument, NULL, 'w' },
    { NULL, 0, NULL, 0 },
};

static const struct command commands[] = {
    { "create", cmd_create, "<ConfigFile> [options] [vars]",
      "Create a domain from config file <filename>",
      "-c                      Connect to the console after the domain is created.\n"
      "-e                      Do not wait in the background for the death of the domain\n"
      "                        (chaos never does; accepted for xl scripts).\n"
      "-f FILE, --defconfig=FILE\n"
      "                        Use the given configuration file.\n"
      "-h                      Print this help.\n"
      "-n, --dryrun            Dry run - prints the resulting configuration.\n"
      "-p                      Leave the domain paused after it is created.\n"
      "-q, --quiet             Quiet.\n",
      "cef:npq", create_longopts, 0 },
    { "list", cmd_list, "[options] [Domain]",
      "List information about all/some domains",
      "-l, --long              Output the configuration of chaos's domains (JSON)\n"
      "-v, --verbose           Prints out UUIDs and security context\n"
      "--shells                Also list chaosd's shells (pre-made domains, whose\n"
      "                        UUIDs begin 6368616f-732d-7368)\n",
      "lv", list_longopts, 0 },
    { "destroy", cmd_destroy, "[options] <Domain>",
      "Terminate a domain immediately",
      "-f                      Permit destroying domain 0.\n",
      "f", NULL, 1 },
    { "shutdown", cmd_shutdown, "[options] <-a|Domain>",
      "Issue a shutdown signal to a domain",
      "-a, --all               Shutdown all guest domains.\n"
      "-h                      Print this help.\n"
      "-F                      Make the hypervisor shut the domain down at once,\n"
      "                        without asking the guest (for guests with no PV\n"
      "                        control interface, such as unikernels).\n"
      "-w, --wait              Wait for guest(s) to shutdown (twice: until\n"
      "                        destroyed).\n",
      "awF", shutdown_longopts, 0 },
    { "reboot", cmd_reboot, "[options] <-a|Domain>",
      "Issue a reboot signal to a domain",
      "-a, --all               Shutdown all guest domains.\n"
      "-h                      Print this help.\n"
      "-F                      Make the hypervisor reboot the domain at once,\n"
      "                        without asking the guest.\n"
      "-w, --wait              Wait for guest(s) to reboot.\n",
      "awF", shutdown_longopts, 0 },
    { "pause", cmd_pause, "<Domain>", "Pause execution of a domain",
      NULL, NULL, NULL, 1 },
    { "unpause", cmd_unpause, "<Domain>", "Unpause a paused domain",
      NULL, NULL, NULL, 1 },
    { "console", cmd_console, "[options] <Domain>",
      "Attach to domain's console",
      "-n                      Print what the domain wrote and return;\n"
      "                        the default when stdout is not a terminal.\n"
      "                        Otherwise follow it until Ctrl-].\n",
      "n", NULL, 1 },
    { "info", cmd_info, "[FIELD]", "Get information about Xen host",
      NULL, NULL, NULL, 0 },
    { "domid", cmd_domid, "<DomainName>",
      "Convert a domain name to domain id", NULL, NULL, NULL, 1 },
    { "domname", cmd_domname, "<DomainId>",
      "Convert a domain id to domain name", NULL, NULL, NULL, 1 },
    { "sched-credit2", cmd_sched_credit2, "[-d <Domain> [-w[=WEIGHT]]] [-p CPUPOOL]",
      "Get/set credit2 scheduler parameters",
      "-d DOMAIN, --domain=DOMAIN     Domain to modify\n"
      "-w WEIGHT, --weight=WEIGHT     Weight (int)\n"
      "-c CAP,    --cap=CAP           Cap (int)\n"
      "-s         --schedparam        Query / modify scheduler parameters\n"
      "-r RLIMIT, --ratelimit_us=RLIMIT Set the scheduling rate limit, in microseconds\n"
      "-p CPUPOOL, --cpupool=CPUPOOL  Restrict output to CPUPOOL\n",
      "d:w:c:sr:p:", sched_longopts, 0 },
    { "pool", cmd_pool, "", "Show chaosd's pools of domain shells",
      NULL, NULL, NULL, 0 },
    { "help", cmd_help, "[command]", "Print this help", NULL, NULL, NULL, 0 },
};
static const size_t n_commands = sizeof(commands) / sizeof(commands[0]);

/* The command named NAME, or the only one NAME is a prefix of (as xl). */
static const struct command *lookup(const char *name)
{
    const struct command *match = NULL;
    size_t len = strlen(name);

    for (size_t i = 0; i < n_commands; i++) {
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
        if (len && strncmp(commands[i].name, name, len) == 0) {
            if (match)
                return NULL;
            match = &commands[i];
        }
    }
    return match;
}

int main(int argc, char **argv)
{
    const struct command *cmd;

    if (argc < 2) {
        print_overview(stdout);
        return 1;
    }
    if (argv[1][0] == '-') {
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
            print_overview(stdout);
            return 0;
        }
        fprintf(stderr, "chaos: unknown global option %s\n", argv[1]);
        return 1;
    }
    timing_mark("main");
    cmd = lookup(argv[1]);
    if (!cmd) {
        fprintf(stderr, "command not implemented\n");
        return 1;
    }
    return cmd->run(cmd, argc - 1, argv + 1);
}
