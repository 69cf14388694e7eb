/*
 * info: `xl info` formatting. See info.h.
 */
#include "info.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/*
 * xl's maybe_printf: prints the formatted line, or with ONLY just its
 * value when the line starts with ONLY. A line that cannot be formatted
 * (out of memory) is left out, as in xl.
 */
__attribute__((format(printf, 3, 4)))
static void emit(FILE *out, const char *only, const char *fmt, ...)
{
    va_list ap;
    char *line = NULL;
    const char *colon;
    int len;

    va_start(ap, fmt);
    len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        goto out;
    line = malloc((size_t)len + 1);
    if (!line)
        goto out;
    va_start(ap, fmt);
    vsnprintf(line, (size_t)len + 1, fmt, ap);
    va_end(ap);

    if (!only) {
        fputs(line, out);
    } else if (strncmp(line, only, strlen(only)) == 0 &&
               (colon = strchr(line, ':')) && colon[1] == ' ') {
        fputs(colon + 2, out);
    }
out:
    free(line);
}

static const char *str(const char *s)
{
    return s ? s : "";
}

const char *info_scheduler_name(int scheduler_id)
{
    switch (scheduler_id) {
    case 0: return "unknown";
    case 4: return "sedf";
    case 5: return "credit";
    case 6: return "credit2";
    case 7: return "arinc653";
    case 8: return "rtds";
    case 9: return "null";
    }
    return NULL;
}

static void print_uname(FILE *out, const struct info *in, const char *only)
{
    if (!in->have_uname)
        return;
    emit(out, only, "host                   : %s\n", str(in->host));
    emit(out, only, "release                : %s\n", str(in->release));
    emit(out, only, "version                : %s\n", str(in->version));
    emit(out, only, "machine                : %s\n", str(in->machine));
}

static void print_physinfo(FILE *out, FILE *err, const struct info *in,
                           const char *only)
{
    const uint32_t *c = in->hw_cap;
    uint64_t per_mib;

    if (!in->have_physinfo) {
        fputs("libxl_physinfo failed.\n", err);
        return;
    }
    emit(out, only, "nr_cpus                : %d\n", (int)in->nr_cpus);
    emit(out, only, "max_cpu_id             : %d\n", (int)in->max_cpu_id);
    emit(out, only, "nr_nodes               : %d\n", (int)in->nr_nodes);
    emit(out, only, "cores_per_socket       : %d\n",
         (int)in->cores_per_socket);
    emit(out, only, "threads_per_core       : %d\n",
         (int)in->threads_per_core);
    emit(out, only, "cpu_mhz                : %d.%03d\n",
         (int)(in->cpu_khz / 1000), (int)(in->cpu_khz % 1000));
    emit(out, only, "hw_caps                : "
         "%08x:%08x:%08x:%08x:%08x:%08x:%08x:%08x\n",
         c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
    emit(out, only, "virt_caps              :%s%s%s%s%s%s%s%s%s%s%s\n",
         in->cap_pv ? " pv" : "",
         in->cap_hvm ? " hvm" : "",
         in->cap_hvm && in->cap_hvm_directio ? " hvm_directio" : "",
         in->cap_pv && in->cap_hvm_directio ? " pv_directio" : "",
         in->cap_hap ? " hap" : "",
         in->cap_shadow ? " shadow" : "",
         in->cap_iommu_hap_pt_share ? " iommu_hap_pt_share" : "",
         in->cap_vmtrace ? " vmtrace" : "",
         in->cap_vpmu ? " vpmu" : "",
         in->cap_gnttab_v1 ? " gnttab-v1" : "",
         in->cap_gnttab_v2 ? " gnttab-v2" : "");
    if (in->have_version && in->pagesize && in->pagesize <= (1u << 20)) {
        per_mib = (1u << 20) / in->pagesize;
        emit(out, only, "total_memory           : %" PRIu64 "\n",
             in->total_pages / per_mib);
        emit(out, only, "free_memory            : %" PRIu64 "\n",
             (in->free_pages - in->outstanding_pages) / per_mib);
        emit(out, only, "sharing_freed_memory   : %" PRIu64 "\n",
             in->sharing_freed_pages / per_mib);
        emit(out, only, "sharing_used_memory    : %" PRIu64 "\n",
             in->sharing_used_frames / per_mib);
        emit(out, only, "outstanding_claims     : %" PRIu64 "\n",
             in->outstanding_pages / per_mib);
    }
    if (in->have_free_cpus)
        emit(out, only, "free_cpus              : %d\n", (int)in->free_cpus);
}

static void print_version(FILE *out, FILE *err, const struct info *in,
                          const char *only)
{
    const char *sched;

    if (!in->have_version) {
        fputs("libxl_get_version_info failed.\n", err);
        return;
    }
    if (!in->have_scheduler) {
        fputs("get_scheduler sysctl failed.\n", err);
        return;
    }
    sched = info_scheduler_name(in->scheduler_id);
    emit(out, only, "xen_major              : %d\n", in->xen_major);
    emit(out, only, "xen_minor              : %d\n", in->xen_minor);
    emit(out, only, "xen_extra              : %s\n", str(in->xen_extra));
    emit(out, only, "xen_version            : %d.%d%s\n", in->xen_major,
         in->xen_minor, str(in->xen_extra));
    emit(out, only, "xen_caps               : %s\n", str(in->xen_caps));
    emit(out, only, "xen_scheduler          : %s\n",
         sched ? sched : "(null)");
    emit(out, only, "xen_pagesize           : %u\n", in->pagesize);
    emit(out, only, "platform_params        : virt_start=0x%" PRIx64 "\n",
         in->virt_start);
    emit(out, only, "xen_changeset          : %s\n", str(in->xen_changeset));
    emit(out, only, "xen_commandline        : %s\n",
         str(in->xen_commandline));
    emit(out, only, "cc_compiler            : %s\n", str(in->cc_compiler));
    emit(out, only, "cc_compile_by          : %s\n", str(in->cc_compile_by));
    emit(out, only, "cc_compile_domain      : %s\n",
         str(in->cc_compile_domain));
    emit(out, only, "cc_compile_date        : %s\n",
         str(in->cc_compile_date));
    emit(out, only, "build_id               : %s\n", str(in->build_id));
}

void info_print(FILE *out, FILE *err, const struct info *info,
                const char *only)
{
    print_uname(out, info, only);
    print_physinfo(out, err, info, only);
    print_version(out, err, info, only);
    emit(out, only, "xend_config_format     : 4\n");
}
