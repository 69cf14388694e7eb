/*
 * domcfg: xl.cfg keys to a domain configuration. See domcfg.h; the
 * behaviour copied from xl is described in XL-COMPAT.md section 3.
 */
#include "domcfg.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static const char *const supported_keys[] = {
    "name", "uuid", "type", "builder", "kernel", "ramdisk", "cmdline",
    "root", "extra", "memory", "maxmem", "vcpus", "maxvcpus", "on_poweroff",
    "on_reboot", "on_crash", "on_watchdog", "on_soft_reset", "vif",
    "devices",
};

/* vif keys xl knows that chaos reads but does not act on. */
static const char *const vif_ignored_keys[] = {
    "type", "ip", "script", "backend", "vifname", "rate", "model", "accel",
    "gatewaydev", "forwarddev", "devid", "trusted", "untrusted",
};

/* Keys that give xl a kernel or bootloader but that chaos ignores. */
static const char *const kernel_source_keys[] = { "bootloader", "firmware" };

static const char *const action_names[] = {
    [DOMCFG_DESTROY] = "destroy",
    [DOMCFG_RESTART] = "restart",
    [DOMCFG_RENAME_RESTART] = "rename-restart",
    [DOMCFG_PRESERVE] = "preserve",
    [DOMCFG_COREDUMP_DESTROY] = "coredump-destroy",
    [DOMCFG_COREDUMP_RESTART] = "coredump-restart",
    [DOMCFG_SOFT_RESET] = "soft-reset",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* libxl 4.17.7's log line when libxl_cpu_bitmap_alloc gets a count < 0. */
#define CPUMAP_ALLOC_ERROR "libxl: error: libxl_utils.c:809:" \
    "libxl_cpu_bitmap_alloc: invalid number of cpus provided\n"

struct reader {
    const struct xlcfg *cfg;
    const char *source;
    FILE *msgs;
};

void domcfg_init(struct domcfg *dc)
{
    memset(dc, 0, sizeof(*dc));
}

void domcfg_dispose(struct domcfg *dc)
{
    free(dc->name);
    free(dc->kernel);
    free(dc->ramdisk);
    free(dc->cmdline);
    domcfg_init(dc);
}

const char *domcfg_action_name(enum domcfg_action a)
{
    if ((size_t)a >= ARRAY_SIZE(action_names))
        return NULL;
    return action_names[a];
}

const char *domcfg_type_name(enum domcfg_type t)
{
    switch (t) {
    case DOMCFG_PV: return "pv";
    case DOMCFG_PVH: return "pvh";
    case DOMCFG_HVM: return "hvm";
    }
    return NULL;
}

static bool in_list(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, list[i]) == 0)
            return true;
    return false;
}

/*
 * libxlutil's lookup of a single value: the setting in force for KEY, or
 * NULL when KEY is absent or (after libxlutil's warning) holds a list.
 */
static const struct xlcfg_setting *find_atom(const struct reader *r,
                                             const char *key)
{
    const struct xlcfg_setting *s = xlcfg_find(r->cfg, key);

    if (!s)
        return NULL;
    if (s->value->kind != XLCFG_STRING) {
        fprintf(r->msgs, "%s:%d: warning: parameter `%s' is a list but "
                "should be a single value\n", r->source, s->line, key);
        return NULL;
    }
    return s;
}

/* As xlu_cfg_get_string(.., 0): KEY's text, or NULL when unusable. */
static const char *get_string(const struct reader *r, const char *key)
{
    const struct xlcfg_setting *s = find_atom(r, key);

    return s ? s->value->string : NULL;
}

/*
 * As xlu_cfg_get_long(.., 0): true with *OUT set, or false when KEY is
 * absent or, after libxlutil's warning, not a usable number.
 */
static bool get_long(const struct reader *r, const char *key, long *out)
{
    const struct xlcfg_setting *s = find_atom(r, key);
    int rc;

    if (!s)
        return false;
    if (s->appended) {
        fprintf(r->msgs, "%s:%d: warning: can't use += with numbers for "
                "parameter `%s'\n", r->source, s->line, key);
        return false;
    }
    rc = xlcfg_get_long(r->cfg, key, out);
    if (rc == ERANGE) {
        fprintf(r->msgs, "%s:%d: warning: parameter `%s' could not be "
                "parsed as a number: %s\n", r->source, s->line, key,
                strerror(rc));
        return false;
    }
    if (rc) {
        fprintf(r->msgs, "%s:%d: warning: parameter `%s' is not a valid "
                "number\n", r->source, s->line, key);
        return false;
    }
    return true;
}

/*
 * Prints the "not supported by chaos" line for every key in force in the
 * config that chaos does not read and, when ONLY is not NULL, that is one
 * of the N_ONLY keys in ONLY.
 */
static void warn_unsupported(const struct reader *r, const char *const *only,
                             size_t n_only)
{
    const struct xlcfg *cfg = r->cfg;

    for (size_t i = 0; i < cfg->n_settings; i++) {
        const struct xlcfg_setting *s = &cfg->settings[i];

        if (xlcfg_find(cfg, s->name) != s ||
            in_list(s->name, supported_keys, ARRAY_SIZE(supported_keys)) ||
            (only && !in_list(s->name, only, n_only)))
            continue;
        fprintf(r->msgs, "%s:%d: warning: ignoring `%s': not supported by "
                "chaos\n", r->source, s->line, s->name);
    }
}

/* xl's strncmp(VALUE, WORD, strlen(VALUE)) == 0: VALUE is a prefix of WORD. */
static bool is_prefix(const char *value, const char *word)
{
    size_t n = strlen(value);

    return n <= strlen(word) && memcmp(value, word, n) == 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* libuuid's uuid_parse: exactly 8-4-4-4-12 hex digits, either case. */
static bool parse_uuid(const char *s, uint8_t out[16])
{
    size_t n = 0;

    if (strlen(s) != 36)
        return false;
    for (size_t i = 0; i < 36; i++) {
        int hi, lo;

        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
            continue;
        }
        hi = hex_value(s[i]);
        lo = hex_value(s[i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[n++] = (uint8_t)(hi << 4 | lo);
        i++;
    }
    return true;
}

static bool parse_action(const char *s, enum domcfg_action *out)
{
    for (size_t i = 0; i < ARRAY_SIZE(action_names); i++) {
        if (strcmp(s, action_names[i]) == 0) {
            *out = (enum domcfg_action)i;
            return true;
        }
    }
    return false;
}

/* C's conversion of V to int as gcc defines it: the low 32 bits. */
static int truncate_to_int(long v)
{
    uint32_t low = (uint32_t)v;

    if (low <= INT_MAX)
        return (int)low;
    return -(int)(UINT32_MAX - low) - 1;
}

/* Steps 2-3 of xl's checks: type, then builder. Returns 0 or 1. */
static int read_type(const struct reader *r, enum domcfg_type *type)
{
    const char *v;
    bool have_type = false;

    *type = DOMCFG_PV;
    v = get_string(r, "type");
    if (v) {
        if (is_prefix(v, "hvm")) {
            *type = DOMCFG_HVM;
        } else if (is_prefix(v, "pv")) {
            *type = DOMCFG_PV;
        } else if (is_prefix(v, "pvh")) {
            *type = DOMCFG_PVH;
        } else {
            fprintf(r->msgs, "Invalid domain type %s.\n", v);
            return 1;
        }
        have_type = true;
    }
    v = get_string(r, "builder");
    if (v) {
        enum domcfg_type builder;

        if (is_prefix(v, "hvm")) {
            builder = DOMCFG_HVM;
        } else if (is_prefix(v, "generic")) {
            builder = DOMCFG_PV;
        } else {
            fprintf(r->msgs, "Invalid domain type %s.\n", v);
            return 1;
        }
        if (have_type && builder != *type) {
            fprintf(r->msgs, "Contradicting \"builder\" and \"type\" "
                    "options specified.\n");
            return 1;
        }
        *type = builder;
    }
    return 0;
}

/* Steps 5-6: memory, maxmem, vcpus, maxvcpus and defaults. 0 or 1. */
static int read_sizes(const struct reader *r, struct domcfg *dc)
{
    bool target_set = false, max_set = false, vcpus_set = false;
    long l, vcpus = 0;
    int max_vcpus = 0;

    if (get_long(r, "memory", &l)) {
        dc->target_kb = (uint64_t)l * 1024;
        target_set = true;
    }
    if (get_long(r, "maxmem", &l)) {
        dc->max_kb = (uint64_t)l * 1024;
        max_set = true;
    }
    if (get_long(r, "vcpus", &l)) {
        if (truncate_to_int(l) < 0) {
            fputs(CPUMAP_ALLOC_ERROR, r->msgs);
            fputs("Unable to allocate cpumap\n", r->msgs);
            return 1;
        }
        vcpus = l;
        vcpus_set = true;
    }
    if (get_long(r, "maxvcpus", &l))
        max_vcpus = truncate_to_int(l);

    if (!max_set) {
        dc->max_kb = dc->target_kb;
        max_set = target_set;
    }
    if (max_vcpus == 0)
        max_vcpus = truncate_to_int(vcpus);
    if (max_vcpus < vcpus) {
        fputs("xl: maxvcpus < vcpus\n", r->msgs);
        return 1;
    }

    /* libxl's defaults for what is still unset. */
    if (!max_set)
        dc->max_kb = 32 * 1024;
    if (!target_set)
        dc->target_kb = dc->max_kb;
    dc->vcpus = vcpus_set ? (unsigned int)vcpus : 1;
    dc->max_vcpus = max_vcpus ? (unsigned int)max_vcpus : 1;
    return 0;
}

/* Step 7: the on_* actions, in xl's order. Returns 0 or 1. */
static int read_actions(const struct reader *r, struct domcfg *dc)
{
    const struct {
        const char *key;
        enum domcfg_action *field;
        enum domcfg_action dflt;
    } keys[] = {
        { "on_poweroff", &dc->on_poweroff, DOMCFG_DESTROY },
        { "on_reboot", &dc->on_reboot, DOMCFG_RESTART },
        { "on_watchdog", &dc->on_watchdog, DOMCFG_DESTROY },
        { "on_crash", &dc->on_crash, DOMCFG_DESTROY },
        { "on_soft_reset", &dc->on_soft_reset, DOMCFG_SOFT_RESET },
    };

    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        const char *v = get_string(r, keys[i].key);

        if (!v) {
            *keys[i].field = keys[i].dflt;
        } else if (!parse_action(v, keys[i].field)) {
            fprintf(r->msgs, "Unknown %s action \"%s\" specified\n",
                    keys[i].key, v);
            return 1;
        }
    }
    return 0;
}

/* Duplicates S into *OUT (NULL stays NULL). Returns 0 or -ENOMEM. */
static int dup_into(char **out, const char *s)
{
    if (!s)
        return 0;
    *out = strdup(s);
    return *out ? 0 : -ENOMEM;
}

/* xl's parse_cmdline: cmdline, else root= and extra=. 0 or -ENOMEM. */
static int read_cmdline(const struct reader *r, char **out)
{
    const char *cmdline = get_string(r, "cmdline");
    const char *root = get_string(r, "root");
    const char *extra = get_string(r, "extra");
    size_t len;

    if (cmdline) {
        if (root || extra)
            fputs("Warning: ignoring root= and extra= in favour of "
                  "cmdline=\n", r->msgs);
        return dup_into(out, cmdline);
    }
    if (!root)
        return dup_into(out, extra);
    len = strlen("root=") + strlen(root) +
          (extra ? 1 + strlen(extra) : 0) + 1;
    *out = malloc(len);
    if (!*out)
        return -ENOMEM;
    if (extra)
        snprintf(*out, len, "root=%s %s", root, extra);
    else
        snprintf(*out, len, "root=%s", root);
    return 0;
}

/* libxl_basename: the part after the last '/'. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* Step 8 and the per-type part of step 9. Returns 0, 1 or -ENOMEM. */
static int read_boot(const struct reader *r, struct domcfg *dc)
{
    const char *kernel = get_string(r, "kernel");
    const char *ramdisk = get_string(r, "ramdisk");
    int rc;

    rc = read_cmdline(r, &dc->cmdline);
    if (rc)
        return rc;
    if (dc->type == DOMCFG_HVM && kernel &&
        strcmp(base_name(kernel), "hvmloader") == 0) {
        fputs("WARNING: you seem to be using \"kernel\" directive to "
              "override HVM guest firmware. Ignore that. Use "
              "\"firmware_override\" instead if you really want a "
              "non-default firmware\n", r->msgs);
        kernel = NULL;
    }
    if (dc->type != DOMCFG_HVM && !kernel) {
        warn_unsupported(r, kernel_source_keys,
                         ARRAY_SIZE(kernel_source_keys));
        fputs("Neither kernel nor bootloader specified\n", r->msgs);
        return 1;
    }
    rc = dup_into(&dc->kernel, kernel);
    if (rc)
        return rc;
    if (ramdisk && *ramdisk)
        rc = dup_into(&dc->ramdisk, ramdisk);
    return rc;
}

/* xl's strtoul(.., 16) per byte: "Invalid parameter `mac'." otherwise. */
static bool parse_mac(const char *s, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        char *end;
        unsigned long v = strtoul(s, &end, 16);

        if (end == s || v > 255 || (i < 5 ? *end != ':' : *end != '\0'))
            return false;
        mac[i] = (uint8_t)v;
        s = end + 1;
    }
    return true;
}

/* One KEY=VALUE of a vif item into V. Returns 0, or 1 after xl's message. */
static int read_vif_key(const struct reader *r, int line, const char *token,
                        struct domcfg_vif *v)
{
    const char *eq = strchr(token, '=');
    size_t klen = eq ? (size_t)(eq - token) : strlen(token);
    const char *val = eq ? eq + 1 : "";
    char key[32];

    if (klen >= sizeof(key) || !eq) {
        fprintf(r->msgs, "unrecognized argument `%s'\n", token);
        return 1;
    }
    memcpy(key, token, klen);
    key[klen] = '\0';
    if (strcmp(key, "mac") == 0) {
        if (!parse_mac(val, v->mac)) {
            fputs("Invalid parameter `mac'.\n", r->msgs);
            return 1;
        }
        v->mac_set = true;
    } else if (strcmp(key, "bridge") == 0) {
        if (val[0] == '\0' || strlen(val) >= sizeof(v->bridge) ||
            strchr(val, '/')) {
            fputs("Invalid parameter `bridge'.\n", r->msgs);
            return 1;
        }
        strcpy(v->bridge, val);
    } else if (strcmp(key, "mtu") == 0) {
        char *end;
        unsigned long mtu = strtoul(val, &end, 10);

        if (end == val || *end || mtu < 68 || mtu > 65535) {
            fputs("Invalid parameter `mtu'.\n", r->msgs);
            return 1;
        }
        v->mtu = (unsigned int)mtu;
    } else if (in_list(key, vif_ignored_keys, ARRAY_SIZE(vif_ignored_keys))) {
        fprintf(r->msgs, "%s:%d: warning: ignoring vif key `%s': not "
                "supported by chaos\n", r->source, line, key);
    } else {
        fprintf(r->msgs, "unrecognized argument `%s'\n", token);
        return 1;
    }
    return 0;
}

/* vif = [ 'KEY=VALUE,...', ... ] and devices = "noxs" | "xenstore". */
static int read_devices(const struct reader *r, struct domcfg *dc)
{
    const struct xlcfg_setting *s = xlcfg_find(r->cfg, "vif");
    const char *devices = get_string(r, "devices");

    if (devices) {
        if (strcmp(devices, "noxs") == 0) {
            dc->devices = DOMCFG_DEVICES_NOXS;
        } else if (strcmp(devices, "xenstore") == 0) {
            dc->devices = DOMCFG_DEVICES_XENSTORE;
        } else {
            fprintf(r->msgs, "%s: devices = \"%s\": chaos knows \"noxs\" "
                    "and \"xenstore\"\n", r->source, devices);
            return 1;
        }
    }
    if (!s)
        return 0;
    if (s->value->kind != XLCFG_LIST) {
        fprintf(r->msgs, "%s:%d: warning: parameter `vif' is a single value "
                "but should be a list\n", r->source, s->line);
        return 0;
    }
    for (size_t i = 0; i < s->value->n_items; i++) {
        const struct xlcfg_value *item = s->value->items[i];
        struct domcfg_vif *v;
        char *copy, *token, *save = NULL;
        int rc = 0;

        if (item->kind != XLCFG_STRING)
            continue;
        if (dc->n_vifs == DOMCFG_MAX_VIFS) {
            fprintf(r->msgs, "%s:%d: chaos gives a domain at most %d vifs\n",
                    r->source, item->line, DOMCFG_MAX_VIFS);
            return 1;
        }
        v = &dc->vifs[dc->n_vifs++];
        strcpy(v->bridge, "xenbr0");
        copy = strdup(item->string);
        if (!copy)
            return -ENOMEM;
        for (token = strtok_r(copy, ",", &save); token && !rc;
             token = strtok_r(NULL, ",", &save)) {
            while (*token == ' ')
                token++;
            if (*token)
                rc = read_vif_key(r, item->line, token, v);
        }
        free(copy);
        if (rc)
            return rc;
    }
    return 0;
}

int domcfg_from_xlcfg(struct domcfg *dc, const struct xlcfg *cfg,
                      const char *source, FILE *msgs)
{
    const struct reader r = { .cfg = cfg, .source = source, .msgs = msgs };
    const char *v;
    int rc;

    rc = read_type(&r, &dc->type);
    if (rc)
        goto out;

    v = get_string(&r, "name");
    if (!v) {
        fputs("Domain name must be specified.\n", msgs);
        rc = 1;
        goto out;
    }
    rc = dup_into(&dc->name, v);
    if (rc)
        goto out;

    v = get_string(&r, "uuid");
    if (v) {
        if (!parse_uuid(v, dc->uuid)) {
            fprintf(msgs, "Failed to parse UUID: %s\n", v);
            rc = 1;
            goto out;
        }
        dc->uuid_set = true;
    }

    rc = read_sizes(&r, dc);
    if (rc)
        goto out;
    rc = read_actions(&r, dc);
    if (rc)
        goto out;
    rc = read_boot(&r, dc);
    if (rc)
        goto out;
    rc = read_devices(&r, dc);
    if (rc)
        goto out;

    warn_unsupported(&r, NULL, 0);

out:
    if (rc)
        domcfg_dispose(dc);
    return rc;
}

int domcfg_make_macs(struct domcfg *dc)
{
    for (unsigned int i = 0; i < dc->n_vifs; i++) {
        struct domcfg_vif *v = &dc->vifs[i];

        if (v->mac_set)
            continue;
        v->mac[0] = 0x00;
        v->mac[1] = 0x16;
        v->mac[2] = 0x3e;
        if (getrandom(v->mac + 3, 3, 0) != 3)
            return errno;
        v->mac[3] &= 0x7f;
        v->mac_set = true;
    }
    return 0;
}

void domcfg_uuid_string(const uint8_t u[16], char buf[37])
{
    snprintf(buf, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
             u[10], u[11], u[12], u[13], u[14], u[15]);
}
