/*
 * info: the text of `xl info` and `xl info NAME` (XL-COMPAT.md section 5,
 * info), byte for byte as Xen 4.17 xl prints it from the same hypervisor
 * data. Pure formatting: the caller fills struct info from uname(2) and
 * libxenctrl. The -n (NUMA) tables are not supported.
 */
#ifndef CHAOS_INFO_H
#define CHAOS_INFO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct info {
    /* uname(2); its four lines are left out when !have_uname. */
    bool have_uname;
    const char *host, *release, *version, *machine;

    /*
     * xc_physinfo, plus xc_sharing_freed_pages/xc_sharing_used_frames
     * (0 when unknown). When !have_physinfo, the section is left out and
     * "libxl_physinfo failed.\n" goes to ERR, as xl does.
     */
    bool have_physinfo;
    uint32_t nr_cpus, max_cpu_id, nr_nodes, cores_per_socket,
             threads_per_core, cpu_khz;
    uint32_t hw_cap[8];
    bool cap_pv, cap_hvm, cap_hvm_directio, cap_hap, cap_shadow,
         cap_iommu_hap_pt_share, cap_vmtrace, cap_vpmu, cap_gnttab_v1,
         cap_gnttab_v2;             /* XEN_SYSCTL_PHYSCAP_* */
    uint64_t total_pages, free_pages, outstanding_pages,
             sharing_freed_pages, sharing_used_frames;
    /* The free_cpus line (CPUs in no cpupool) is left out when !have. */
    bool have_free_cpus;
    unsigned int free_cpus;

    /*
     * xc_version. When !have_version, the xen_* lines and the memory lines
     * (which need the page size) are left out and
     * "libxl_get_version_info failed.\n" goes to ERR. NULL strings print
     * as empty. xen_major/minor as libxl derives them from XENVER_version:
     * ver >> 16 and ver & 0xff.
     */
    bool have_version;
    int xen_major, xen_minor;
    const char *xen_extra, *xen_caps, *xen_changeset, *xen_commandline,
               *cc_compiler, *cc_compile_by, *cc_compile_domain,
               *cc_compile_date, *build_id;
    unsigned int pagesize;          /* the memory lines need it nonzero */
    uint64_t virt_start;            /* XENVER_platform_parameters */

    /*
     * xc_sched_id. When !have_scheduler, "get_scheduler sysctl failed.\n"
     * goes to ERR and the xen_* lines are left out, as in xl.
     */
    bool have_scheduler;
    int scheduler_id;               /* XEN_SCHEDULER_* */
};

/*
 * Prints the lines of `xl info` for INFO on OUT, failures on ERR. With
 * ONLY not NULL, prints as `xl info ONLY`: just the value (the text after
 * ": ") of each line that starts with ONLY.
 */
void info_print(FILE *out, FILE *err, const struct info *info,
                const char *only);

/* libxl's name for a XEN_SCHEDULER_* id ("credit2", ...), NULL if none. */
const char *info_scheduler_name(int scheduler_id);

#endif
