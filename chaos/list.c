/*
 * list: `xl list` formatting. See list.h.
 */
#include "list.h"

static const char shutdown_letters[] = "-rscwS";

void list_print_header(FILE *out, bool verbose)
{
    fputs("Name                                        ID   Mem VCPUs\t"
          "State\tTime(s)", out);
    if (verbose)
        fputs("   UUID                            Reason-Code\t"
              "Security Label", out);
    fputc('\n', out);
}

void list_print_entry(FILE *out, const struct list_entry *e, bool verbose)
{
    unsigned int reason = e->shutdown ? e->shutdown_reason : 0;
    char reason_letter = reason < sizeof(shutdown_letters) - 1 ?
                         shutdown_letters[reason] : '?';
    const uint8_t *u = e->uuid;

    /* xl converts the time to float before dividing, losing precision. */
    fprintf(out, "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f",
            e->name ? e->name : "(null)", (int)e->domid,
            (unsigned long)(e->mem_kb / 1024), (int)e->online_vcpus,
            e->running ? 'r' : '-', e->blocked ? 'b' : '-',
            e->paused ? 'p' : '-', e->shutdown ? 's' : '-', reason_letter,
            e->dying ? 'd' : '-', (float)e->cpu_time_ns / 1e9);
    if (verbose) {
        char text[37];

        domcfg_uuid_string(u, text);
        fprintf(out, " %s", text);
        if (e->shutdown)
            fprintf(out, " %8x", e->shutdown_reason);
        else
            fprintf(out, " %8s", "-");
        fprintf(out, " %16s", "-");
    }
    fputc('\n', out);
}

/* S as a JSON string. */
static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

/* libxl's JSON name of an action (libxl_action_on_shutdown). */
static const char *json_action(enum domcfg_action a)
{
    switch (a) {
    case DOMCFG_DESTROY: return "destroy";
    case DOMCFG_RESTART: return "restart";
    case DOMCFG_RENAME_RESTART: return "restart_rename";
    case DOMCFG_PRESERVE: return "preserve";
    case DOMCFG_COREDUMP_DESTROY: return "coredump_destroy";
    case DOMCFG_COREDUMP_RESTART: return "coredump_restart";
    case DOMCFG_SOFT_RESET: return "soft_reset";
    }
    return "destroy";
}

/* Four spaces per LEVEL, as yajl indents. */
static void pad(FILE *out, int level)
{
    fprintf(out, "%*s", 4 * level, "");
}

void list_print_config(FILE *out, const struct domcfg *dc,
                       const uint8_t *uuid, int level)
{
    static const char *const action_keys[] = {
        "on_poweroff", "on_reboot", "on_watchdog", "on_crash",
        "on_soft_reset",
    };
    enum domcfg_action actions[] = {
        dc->on_poweroff, dc->on_reboot, dc->on_watchdog, dc->on_crash,
        dc->on_soft_reset,
    };

    fputs("{\n", out);
    pad(out, level + 1);
    fputs("\"c_info\": {\n", out);
    pad(out, level + 2);
    fputs("\"type\": ", out);
    json_string(out, domcfg_type_name(dc->type));
    fputs(",\n", out);
    pad(out, level + 2);
    fputs("\"name\": ", out);
    json_string(out, dc->name);
    if (uuid) {
        fputs(",\n", out);
        pad(out, level + 2);
        char text[37];

        domcfg_uuid_string(uuid, text);
        fprintf(out, "\"uuid\": \"%s\"", text);
    }
    fputc('\n', out);
    pad(out, level + 1);
    fputs("},\n", out);
    pad(out, level + 1);
    fputs("\"b_info\": {\n", out);
    pad(out, level + 2);
    fprintf(out, "\"max_vcpus\": %u,\n", dc->max_vcpus);
    pad(out, level + 2);
    fputs("\"avail_vcpus\": [", out);
    for (unsigned int v = 0; v < dc->vcpus; v++) {
        fputs(v ? ",\n" : "\n", out);
        pad(out, level + 3);
        fprintf(out, "%u", v);
    }
    if (dc->vcpus) {
        fputc('\n', out);
        pad(out, level + 2);
    }
    fputs("],\n", out);
    pad(out, level + 2);
    fprintf(out, "\"max_memkb\": %llu,\n", (unsigned long long)dc->max_kb);
    pad(out, level + 2);
    fprintf(out, "\"target_memkb\": %llu", (unsigned long long)dc->target_kb);
    for (int k = 0; k < 3; k++) {
        const char *key = (const char *[]){ "kernel", "ramdisk", "cmdline" }[k];
        const char *v = (const char *[]){ dc->kernel, dc->ramdisk,
                                          dc->cmdline }[k];

        if (!v)
            continue;
        fputs(",\n", out);
        pad(out, level + 2);
        fprintf(out, "\"%s\": ", key);
        json_string(out, v);
    }
    fputc('\n', out);
    pad(out, level + 1);
    fputc('}', out);
    for (size_t k = 0; k < sizeof(actions) / sizeof(actions[0]); k++) {
        if (actions[k] == DOMCFG_DESTROY)
            continue;
        fputs(",\n", out);
        pad(out, level + 1);
        fprintf(out, "\"%s\": \"%s\"", action_keys[k],
                json_action(actions[k]));
    }
    fputc('\n', out);
    pad(out, level);
    fputc('}', out);
}

void list_print_json(FILE *out, size_t n, const uint32_t *domids,
                     const struct domcfg *const *cfgs,
                     const uint8_t (*uuids)[16])
{
    fputs("[\n", out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "    {\n        \"domid\": %u,\n        \"config\": ",
                domids[i]);
        list_print_config(out, cfgs[i], uuids[i], 2);
        fprintf(out, "\n    }%s\n", i + 1 < n ? "," : "");
    }
    fputs("]\n", out);
}
