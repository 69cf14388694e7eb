/*
 * chaos/info: `xl info` text. The expected output was printed by the real
 * Xen 4.17 xl (`xl info`, `xl info NAME`) for the same host data, served
 * to it by a stub of libxenctrl (and this machine's uname).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../chaos/info.h"
#include "unit.h"

static const char full_output[] =
    "host                   : vm\n"
    "release                : 6.18.44-fc-v669\n"
    "version                : #1 SMP PREEMPT_DYNAMIC @0\n"
    "machine                : x86_64\n"
    "nr_cpus                : 16\n"
    "max_cpu_id             : 15\n"
    "nr_nodes               : 2\n"
    "cores_per_socket       : 8\n"
    "threads_per_core       : 2\n"
    "cpu_mhz                : 3400.057\n"
    "hw_caps                : 178bfbff:2f17f7fe:46a3f3fd:5e2feffc:75bbebfb:"
    "8d47e7fa:a4d3e3f9:bc5fdff8\n"
    "virt_caps              : pv hvm hvm_directio pv_directio hap shadow "
    "iommu_hap_pt_share vmtrace vpmu gnttab-v1 gnttab-v2\n"
    "total_memory           : 32767\n"
    "free_memory            : 26316\n"
    "sharing_freed_memory   : 1171\n"
    "sharing_used_memory    : 3\n"
    "outstanding_claims     : 1027\n"
    "free_cpus              : 3\n"
    "xen_major              : 4\n"
    "xen_minor              : 17\n"
    "xen_extra              : -rc\n"
    "xen_version            : 4.17-rc\n"
    "xen_caps               : xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p "
    "hvm-3.0-x86_64\n"
    "xen_scheduler          : credit\n"
    "xen_pagesize           : 4096\n"
    "platform_params        : virt_start=0xffff800000000000\n"
    "xen_changeset          : \n"
    "xen_commandline        : placeholder dom0_mem=1024M,max:1024M\n"
    "cc_compiler            : gcc (Debian 12.2.0-14) 12.2.0\n"
    "cc_compile_by          : pkg-xen-devel\n"
    "cc_compile_domain      : lists.alioth.debian.org\n"
    "cc_compile_date        : Tue Oct 28 10:00:00 UTC 2025\n"
    "build_id               : \n"
    "xend_config_format     : 4\n";

/* The host data behind full_output. */
static struct info host(void)
{
    struct info in = {
        .have_uname = true,
        .host = "vm", .release = "6.18.44-fc-v669",
        .version = "#1 SMP PREEMPT_DYNAMIC @0", .machine = "x86_64",
        .have_physinfo = true,
        .nr_cpus = 16, .max_cpu_id = 15, .nr_nodes = 2,
        .cores_per_socket = 8, .threads_per_core = 2, .cpu_khz = 3400057,
        .cap_pv = true, .cap_hvm = true, .cap_hvm_directio = true,
        .cap_hap = true, .cap_shadow = true, .cap_iommu_hap_pt_share = true,
        .cap_vmtrace = true, .cap_vpmu = true, .cap_gnttab_v1 = true,
        .cap_gnttab_v2 = true,
        .total_pages = 8388352, .free_pages = 7000123,
        .outstanding_pages = 263144, .sharing_freed_pages = 300000,
        .sharing_used_frames = 1023,
        .have_free_cpus = true, .free_cpus = 3,
        .have_version = true,
        .xen_major = 4, .xen_minor = 17, .xen_extra = "-rc",
        .xen_caps = "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p "
                    "hvm-3.0-x86_64",
        .xen_changeset = "",
        .xen_commandline = "placeholder dom0_mem=1024M,max:1024M",
        .cc_compiler = "gcc (Debian 12.2.0-14) 12.2.0",
        .cc_compile_by = "pkg-xen-devel",
        .cc_compile_domain = "lists.alioth.debian.org",
        .cc_compile_date = "Tue Oct 28 10:00:00 UTC 2025",
        .build_id = "",
        .pagesize = 4096, .virt_start = 0xffff800000000000ull,
        .have_scheduler = true, .scheduler_id = 5,
    };

    for (unsigned int i = 0; i < 8; i++)
        in.hw_cap[i] = 0x178bfbffu * (i + 1);
    return in;
}

struct output {
    char *out, *err;
};

static struct output print(const struct info *in, const char *only)
{
    struct output o = { NULL, NULL };
    size_t olen = 0, elen = 0;
    FILE *out = open_memstream(&o.out, &olen);
    FILE *err = open_memstream(&o.err, &elen);

    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_nonnull(err);
    info_print(out, err, in, only);
    fclose(out);
    fclose(err);
    return o;
}

static void output_free(struct output *o)
{
    free(o->out);
    free(o->err);
}

/* FULL without the lines that start with any of the N PREFIXES. */
static char *without(const char *const *prefixes, size_t n)
{
    char *buf = malloc(sizeof(full_output));
    const char *line = full_output;
    char *p = buf;

    ck_assert_ptr_nonnull(buf);
    while (*line) {
        const char *end = strchr(line, '\n') + 1;
        bool drop = false;

        for (size_t i = 0; i < n; i++)
            drop |= strncmp(line, prefixes[i], strlen(prefixes[i])) == 0;
        if (!drop) {
            memcpy(p, line, (size_t)(end - line));
            p += end - line;
        }
        line = end;
    }
    *p = '\0';
    return buf;
}

START_TEST(test_full_output_matches_xl)
{
    struct info in = host();
    struct output o = print(&in, NULL);

    ck_assert_str_eq(o.out, full_output);
    ck_assert_str_eq(o.err, "");
    output_free(&o);
}
END_TEST

static const struct query {
    const char *only, *want;
} queries[] = {
    { "free", "26316\n3\n" },
    { "xen_", "4\n17\n-rc\n4.17-rc\nxen-3.0-x86_64 hvm-3.0-x86_32 "
      "hvm-3.0-x86_32p hvm-3.0-x86_64\ncredit\n4096\n\n"
      "placeholder dom0_mem=1024M,max:1024M\n" },
    { "host   ", "vm\n" },
    { "virt_caps", "pv hvm hvm_directio pv_directio hap shadow "
      "iommu_hap_pt_share vmtrace vpmu gnttab-v1 gnttab-v2\n" },
    { "total_memory           : 3", "32767\n" },
    { "cpu_mhz ", "3400.057\n" },
    { "zzz", "" },
    { "Host", "" },
    { "xend", "4\n" },
};

START_TEST(test_query_prints_values_like_xl)
{
    struct info in = host();
    struct output o = print(&in, queries[_i].only);

    ck_assert_str_eq(o.out, queries[_i].want);
    ck_assert_str_eq(o.err, "");
    output_free(&o);
}
END_TEST

START_TEST(test_empty_query_prints_every_value)
{
    struct info in = host();
    struct output o = print(&in, "");
    const char *want = full_output;
    char *expect = malloc(sizeof(full_output)), *p = expect;

    ck_assert_ptr_nonnull(expect);
    while (*want) {
        const char *colon = strchr(want, ':');
        const char *end = strchr(want, '\n') + 1;

        memcpy(p, colon + 2, (size_t)(end - colon - 2));
        p += end - colon - 2;
        want = end;
    }
    *p = '\0';
    ck_assert_str_eq(o.out, expect);
    free(expect);
    output_free(&o);
}
END_TEST

START_TEST(test_no_virt_caps)
{
    struct info in = host();
    struct output o;

    in.cap_pv = in.cap_hvm = in.cap_hvm_directio = in.cap_hap = false;
    in.cap_shadow = in.cap_iommu_hap_pt_share = in.cap_vmtrace = false;
    in.cap_vpmu = in.cap_gnttab_v1 = in.cap_gnttab_v2 = false;
    o = print(&in, NULL);
    ck_assert_ptr_nonnull(strstr(o.out, "\nvirt_caps              :\n"));
    output_free(&o);
    /* xl's query needs ": " after the key, so this prints nothing. */
    o = print(&in, "virt_caps");
    ck_assert_str_eq(o.out, "");
    output_free(&o);
}
END_TEST

START_TEST(test_directio_needs_pv_or_hvm)
{
    struct info in = host();
    struct output o;

    in.cap_hvm = false;
    o = print(&in, "virt");
    ck_assert_str_eq(o.out, "pv pv_directio hap shadow iommu_hap_pt_share "
                     "vmtrace vpmu gnttab-v1 gnttab-v2\n");
    output_free(&o);
    in.cap_hvm = true;
    in.cap_pv = false;
    o = print(&in, "virt");
    ck_assert_str_eq(o.out, "hvm hvm_directio hap shadow iommu_hap_pt_share "
                     "vmtrace vpmu gnttab-v1 gnttab-v2\n");
    output_free(&o);
}
END_TEST

START_TEST(test_failed_sections_are_left_out)
{
    static const char *const uname_keys[] = {
        "host", "release", "version ", "machine",
    };
    static const char *const physinfo_keys[] = {
        "nr_", "max_cpu", "cores", "threads", "cpu_mhz", "hw_caps", "virt",
        "total", "free", "sharing", "outstanding",
    };
    static const char *const xen_keys[] = {
        "xen_", "platform", "cc_", "build",
    };
    static const char *const xen_and_memory_keys[] = {
        "xen_", "platform", "cc_", "build", "total", "free_memory",
        "sharing", "outstanding",
    };
    static const char *const free_cpus_key[] = { "free_cpus" };
    struct info in;
    struct output o;
    char *want;

    in = host();
    in.have_uname = false;
    o = print(&in, NULL);
    want = without(uname_keys, 4);
    ck_assert_str_eq(o.out, want);
    ck_assert_str_eq(o.err, "");
    free(want);
    output_free(&o);

    /* xl info with xc_physinfo failing: 20 lines and this message. */
    in = host();
    in.have_physinfo = false;
    o = print(&in, NULL);
    want = without(physinfo_keys, 11);
    ck_assert_str_eq(o.out, want);
    ck_assert_str_eq(o.err, "libxl_physinfo failed.\n");
    free(want);
    output_free(&o);

    /* xl info with xc_sched_id failing: 19 lines and this message. */
    in = host();
    in.have_scheduler = false;
    o = print(&in, NULL);
    want = without(xen_keys, 4);
    ck_assert_str_eq(o.out, want);
    ck_assert_str_eq(o.err, "get_scheduler sysctl failed.\n");
    free(want);
    output_free(&o);

    /* The memory lines need the page size from the version info. */
    in = host();
    in.have_version = false;
    o = print(&in, NULL);
    want = without(xen_and_memory_keys, 8);
    ck_assert_str_eq(o.out, want);
    ck_assert_str_eq(o.err, "libxl_get_version_info failed.\n");
    free(want);
    output_free(&o);

    /* xl info with xc_cpupool_freeinfo failing: just no free_cpus line. */
    in = host();
    in.have_free_cpus = false;
    o = print(&in, NULL);
    want = without(free_cpus_key, 1);
    ck_assert_str_eq(o.out, want);
    ck_assert_str_eq(o.err, "");
    free(want);
    output_free(&o);
}
END_TEST

START_TEST(test_scheduler_names)
{
    static const char *const names[] = {
        "unknown", NULL, NULL, NULL, "sedf", "credit", "credit2",
        "arinc653", "rtds", "null", NULL,
    };
    struct info in = host();
    struct output o;

    for (int id = 0; id <= 10; id++) {
        if (names[id])
            ck_assert_str_eq(info_scheduler_name(id), names[id]);
        else
            ck_assert_ptr_null(info_scheduler_name(id));
    }
    in.scheduler_id = 6;
    o = print(&in, "xen_sched");
    ck_assert_str_eq(o.out, "credit2\n");
    output_free(&o);
    in.scheduler_id = 42;
    o = print(&in, "xen_sched");
    ck_assert_str_eq(o.out, "(null)\n");
    output_free(&o);
}
END_TEST

START_TEST(test_null_strings_print_empty)
{
    struct info in = host();
    struct output o;

    in.xen_extra = NULL;
    in.build_id = NULL;
    o = print(&in, "xen_version");
    ck_assert_str_eq(o.out, "4.17\n");
    output_free(&o);
    o = print(&in, "build_id");
    ck_assert_str_eq(o.out, "\n");
    output_free(&o);
}
END_TEST

Suite *info_suite(void)
{
    Suite *s = suite_create("info");
    TCase *tc = tcase_create("xl");

    tcase_add_test(tc, test_full_output_matches_xl);
    tcase_add_loop_test(tc, test_query_prints_values_like_xl, 0,
                        (int)(sizeof(queries) / sizeof(queries[0])));
    tcase_add_test(tc, test_empty_query_prints_every_value);
    tcase_add_test(tc, test_no_virt_caps);
    tcase_add_test(tc, test_directio_needs_pv_or_hvm);
    tcase_add_test(tc, test_failed_sections_are_left_out);
    tcase_add_test(tc, test_scheduler_names);
    tcase_add_test(tc, test_null_strings_print_empty);
    suite_add_tcase(s, tc);
    return s;
}
