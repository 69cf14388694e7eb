/*
 * chaos/list: `xl list` text. The header, the rows in `rows` and the rows
 * spelled out in the other tests were printed by the real Xen 4.17 xl
 * (`xl list`, `xl list -v`) for the same domain data, served to it by a
 * stub of libxenctrl; test_every_state_letter varies one column at a time.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../chaos/list.h"
#include "unit.h"

#define HEADER "Name                                        ID   Mem VCPUs\t" \
               "State\tTime(s)"
#define HEADER_V "   UUID                            Reason-Code\t" \
                 "Security Label"

/* The stub's UUIDs: byte k of domain D's is D * 16 + k. */
static void fill_uuid(struct list_entry *e)
{
    for (unsigned int k = 0; k < 16; k++)
        e->uuid[k] = (uint8_t)(e->domid * 16 + k);
}

/* Flags of Xen's domain info, as the stub took them. */
enum {
    DYING = 1 << 0, SHUTDOWN = 1 << 2, PAUSED = 1 << 3, BLOCKED = 1 << 4,
    RUNNING = 1 << 5,
};

static struct list_entry entry(const char *name, uint32_t domid,
                               unsigned int flags, uint64_t pages,
                               unsigned int vcpus, uint64_t ns)
{
    struct list_entry e = {
        .name = name, .domid = domid, .mem_kb = pages * 4,
        .online_vcpus = vcpus, .running = flags & RUNNING,
        .blocked = flags & BLOCKED, .paused = flags & PAUSED,
        .shutdown = flags & SHUTDOWN, .dying = flags & DYING,
        .shutdown_reason = (flags >> 16) & 0xff, .cpu_time_ns = ns,
    };

    fill_uuid(&e);
    return e;
}

static const struct row_case {
    const char *name;
    uint32_t domid;
    unsigned int flags;
    uint64_t pages;
    unsigned int vcpus;
    uint64_t ns;
    const char *row, *verbose_extra;
} rows[] = {
    { "Domain-0", 0, RUNNING, 262144, 4, 1049999999,
      "Domain-0                                     0  1024     4     "
      "r-----       1.1",
      " 00010203-0405-0607-0809-0a0b0c0d0e0f        -                -" },
    { NULL, 1, PAUSED, 65536, 2, 50000000,
      "(null)                                       1   256     2     "
      "--p---       0.1",
      " 10111213-1415-1617-1819-1a1b1c1d1e1f        -                -" },
    { "averyveryveryveryveryverylongdomainnamethatislong", 2, 2, 1, 1, 0,
      "averyveryveryveryveryverylongdomainnamethatislong     2     0     1"
      "     ------       0.0",
      " 20212223-2425-2627-2829-2a2b2c2d2e2f        -                -" },
    { "crashed", 3, 0x30000 | SHUTDOWN, 0, 1, 0,
      "crashed                                      3     0     1     "
      "---sc-       0.0",
      " 30313233-3435-3637-3839-3a3b3c3d3e3f        3                -" },
    { "x", 4, 0x60000 | SHUTDOWN, 3, 1, 0,
      "x                                            4     0     1     "
      "---s?-       0.0",
      " 40414243-4445-4647-4849-4a4b4c4d4e4f        6                -" },
    { "y", 5, 0x50000 | SHUTDOWN, 3, 1, 0,
      "y                                            5     0     1     "
      "---sS-       0.0",
      " 50515253-5455-5657-5859-5a5b5c5d5e5f        5                -" },
    { "z", 6, 0xff0000 | SHUTDOWN | DYING, 3, 1, 999999999999,
      "z                                            6     0     1     "
      "---s?d    1000.0",
      " 60616263-6465-6667-6869-6a6b6c6d6e6f       ff                -" },
    { "d", 7, BLOCKED | DYING, 3, 1, 16777217050000000,
      "d                                            7     0     1     "
      "-b---d  16777217.1",
      " 70717273-7475-7677-7879-7a7b7c7d7e7f        -                -" },
    { "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", 8, SHUTDOWN, 255, 3,
      149999999,
      "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn     8     0     3     "
      "---s--       0.1",
      " 80818283-8485-8687-8889-8a8b8c8d8e8f        0                -" },
    { "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm", 9,
      RUNNING | BLOCKED | PAUSED, 262143, 128, 123456789012,
      "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm     9  1023   128     "
      "rbp---     123.5",
      " 90919293-9495-9697-9899-9a9b9c9d9e9f        -                -" },
    { "s", 32751, 0x10000 | SHUTDOWN, 1, 1, 0,
      "s                                        32751     0     1     "
      "---sr-       0.0",
      " f0f1f2f3-f4f5-f6f7-f8f9-fafbfcfdfeff        1                -" },
};

/* Runs PRINT into a string; the caller frees it. */
static char *capture_row(const struct list_entry *e, bool verbose)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    ck_assert_ptr_nonnull(f);
    list_print_entry(f, e, verbose);
    fclose(f);
    return buf;
}

START_TEST(test_header)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    list_print_header(f, false);
    fflush(f);
    ck_assert_str_eq(buf, HEADER "\n");
    rewind(f);
    list_print_header(f, true);
    fclose(f);
    ck_assert_str_eq(buf, HEADER HEADER_V "\n");
    free(buf);
}
END_TEST

START_TEST(test_rows_match_xl)
{
    const struct row_case *c = &rows[_i];
    struct list_entry e = entry(c->name, c->domid, c->flags, c->pages,
                                c->vcpus, c->ns);
    char want[512];
    char *got;

    snprintf(want, sizeof(want), "%s\n", c->row);
    got = capture_row(&e, false);
    ck_assert_str_eq(got, want);
    free(got);
    snprintf(want, sizeof(want), "%s%s\n", c->row, c->verbose_extra);
    got = capture_row(&e, true);
    ck_assert_str_eq(got, want);
    free(got);
}
END_TEST

START_TEST(test_reason_is_ignored_unless_shut_down)
{
    struct list_entry e = entry("r", 10, 0x30000 | RUNNING, 64, 1, 0);
    char *got;

    got = capture_row(&e, true);
    ck_assert_str_eq(got,
        "r                                           10     0     1     "
        "r-----       0.0 a0a1a2a3-a4a5-a6a7-a8a9-aaabacadaeaf        -"
        "                -\n");
    free(got);
}
END_TEST

START_TEST(test_every_state_letter)
{
    static const struct {
        bool running, blocked, paused, shutdown, dying;
        unsigned int reason;
        const char *letters;
    } states[] = {
        { 0, 0, 0, 0, 0, 0, "------" }, { 1, 0, 0, 0, 0, 0, "r-----" },
        { 0, 1, 0, 0, 0, 0, "-b----" }, { 0, 0, 1, 0, 0, 0, "--p---" },
        { 0, 0, 0, 0, 1, 0, "-----d" }, { 0, 0, 0, 1, 0, 0, "---s--" },
        { 0, 0, 0, 1, 0, 1, "---sr-" }, { 0, 0, 0, 1, 0, 2, "---ss-" },
        { 0, 0, 0, 1, 0, 3, "---sc-" }, { 0, 0, 0, 1, 0, 4, "---sw-" },
        { 0, 0, 0, 1, 0, 5, "---sS-" }, { 0, 0, 0, 1, 0, 6, "---s?-" },
        { 0, 0, 0, 1, 0, 255, "---s?-" }, { 1, 1, 1, 1, 1, 4, "rbpswd" },
    };

    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
        struct list_entry e = {
            .name = "n", .running = states[i].running,
            .blocked = states[i].blocked, .paused = states[i].paused,
            .shutdown = states[i].shutdown, .dying = states[i].dying,
            .shutdown_reason = states[i].reason,
        };
        char want[128];
        char *got = capture_row(&e, false);

        snprintf(want, sizeof(want), "%-40s     0     0     0     %s"
                 "       0.0\n", "n", states[i].letters);
        ck_assert_str_eq(got, want);
        free(got);
    }
}
END_TEST

START_TEST(test_memory_and_time_columns)
{
    struct list_entry e = entry("m", 12345, 0, 26214400, 99999,
                                12345678900000000ull);
    char *got = capture_row(&e, false);

    /* From xl: the float conversion shows in the last digits. */
    ck_assert_str_eq(got,
        "m                                        12345 102400 99999     "
        "------  12345678.4\n");
    free(got);
    e.mem_kb = 1048575;
    e.cpu_time_ns = 1;
    got = capture_row(&e, false);
    ck_assert_str_eq(got,
        "m                                        12345  1023 99999     "
        "------       0.0\n");
    free(got);
}
END_TEST

START_TEST(test_json_has_libxl_layout)
{
    struct domcfg a, b;
    const struct domcfg *cfgs[2] = { &a, &b };
    const uint32_t domids[2] = { 3, 7 };
    const uint8_t uuids[2][16] = {
        { 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x12, 0x34,
          0x12, 0x34, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc },
        { 0 },
    };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    domcfg_init(&a);
    domcfg_init(&b);
    a.name = "noop";
    a.type = DOMCFG_PV;
    a.kernel = "/k";
    a.cmdline = "say \"hi\"\n";
    a.target_kb = a.max_kb = 8192;
    a.vcpus = 2;
    a.max_vcpus = 2;
    a.on_reboot = DOMCFG_RESTART;
    a.on_crash = DOMCFG_RENAME_RESTART;
    b.name = "b";
    b.target_kb = 4096;
    b.max_kb = 8192;
    b.max_vcpus = 1;
    list_print_json(f, 2, domids, cfgs, uuids);
    fclose(f);
    ck_assert_str_eq(buf,
        "[\n"
        "    {\n"
        "        \"domid\": 3,\n"
        "        \"config\": {\n"
        "            \"c_info\": {\n"
        "                \"type\": \"pv\",\n"
        "                \"name\": \"noop\",\n"
        "                \"uuid\": \"12345678-1234-1234-1234-123456789abc\"\n"
        "            },\n"
        "            \"b_info\": {\n"
        "                \"max_vcpus\": 2,\n"
        "                \"avail_vcpus\": [\n"
        "                    0,\n"
        "                    1\n"
        "                ],\n"
        "                \"max_memkb\": 8192,\n"
        "                \"target_memkb\": 8192,\n"
        "                \"kernel\": \"/k\",\n"
        "                \"cmdline\": \"say \\\"hi\\\"\\u000a\"\n"
        "            },\n"
        "            \"on_reboot\": \"restart\",\n"
        "            \"on_crash\": \"restart_rename\"\n"
        "        }\n"
        "    },\n"
        "    {\n"
        "        \"domid\": 7,\n"
        "        \"config\": {\n"
        "            \"c_info\": {\n"
        "                \"type\": \"pv\",\n"
        "                \"name\": \"b\",\n"
        "                \"uuid\": \"00000000-0000-0000-0000-000000000000\"\n"
        "            },\n"
        "            \"b_info\": {\n"
        "                \"max_vcpus\": 1,\n"
        "                \"avail_vcpus\": [],\n"
        "                \"max_memkb\": 8192,\n"
        "                \"target_memkb\": 4096\n"
        "            }\n"
        "        }\n"
        "    }\n"
        "]\n");
    free(buf);
}
END_TEST

Suite *list_suite(void)
{
    Suite *s = suite_create("list");
    TCase *tc = tcase_create("xl");

    tcase_add_test(tc, test_header);
    tcase_add_loop_test(tc, test_rows_match_xl, 0,
                        (int)(sizeof(rows) / sizeof(rows[0])));
    tcase_add_test(tc, test_reason_is_ignored_unless_shut_down);
    tcase_add_test(tc, test_every_state_letter);
    tcase_add_test(tc, test_memory_and_time_columns);
    tcase_add_test(tc, test_json_has_libxl_layout);
    suite_add_tcase(s, tc);
    return s;
}
