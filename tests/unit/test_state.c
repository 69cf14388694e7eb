/*
 * test_state.c: chaos's records (chaos/state.c). A record read back has
 * every field as saved, whatever bytes the name, UUID and configuration
 * hold and however large the numbers; the bytes on disk keep the format
 * that earlier chaos versions wrote and read; the name registry follows
 * the newest owner of a name and forgets a removed domain.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../chaos/state.h"
#include "unit.h"

static char dir[] = "/tmp/chaos-state-test-XXXXXX";
static struct state st;

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(state_open(&st, dir), 0);
}

static void teardown(void)
{
    char cmd[64];

    state_close(&st);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    strcpy(dir, "/tmp/chaos-state-test-XXXXXX");
}

/* The bytes of DIR/domains/DOMID, malloc'd, into *LEN. */
static char *record_bytes(uint32_t domid, size_t *len)
{
    char path[128], *buf = malloc(4096);
    int fd;
    ssize_t n;

    snprintf(path, sizeof(path), "%s/domains/%u", dir, domid);
    fd = open(path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    n = read(fd, buf, 4096);
    ck_assert_int_ge(n, 0);
    close(fd);
    *len = (size_t)n;
    return buf;
}

START_TEST(test_round_trip_of_any_bytes)
{
    static char name[] = "a name\nwith 12:colons";
    static char config[] = "kernel = \"k\"\n\0name 3:xyz\n99999999999:";
    static char kernel[] = "/boot/k\n2";
    struct state_domain d = {
        .domid = 32751, .name = name, .console_mfn = UINT64_MAX,
        .store_mfn = 0, .console_port = UINT32_MAX, .store_port = 0,
        .config = config, .config_len = sizeof(config),
        .kernel_path = kernel,
    }, back;

    for (int i = 0; i < 16; i++)
        d.uuid[i] = (uint8_t)(i * 17 + '\n');
    ck_assert_int_eq(state_save(&st, &d), 0);
    ck_assert_int_eq(state_load(&st, 32751, &back), 0);
    ck_assert_uint_eq(back.domid, 32751);
    ck_assert_str_eq(back.name, name);
    ck_assert_mem_eq(back.uuid, d.uuid, 16);
    ck_assert(back.console_mfn == UINT64_MAX);
    ck_assert(back.store_mfn == 0);
    ck_assert_uint_eq(back.console_port, UINT32_MAX);
    ck_assert_uint_eq(back.store_port, 0);
    ck_assert_uint_eq(back.config_len, sizeof(config));
    ck_assert_mem_eq(back.config, config, sizeof(config));
    ck_assert_str_eq(back.kernel_path, kernel);
    ck_assert_ptr_null(back.ramdisk_path);
    state_domain_free(&back);
}
END_TEST

START_TEST(test_bytes_on_disk)
{
    static const char want[] =
        "domid 1:7\nname 3:web\nuuid 16:uuuuuuuuuuuuuuuu\n"
        "console_mfn 4:4096\nconsole_port 1:1\nstore_mfn 1:0\n"
        "store_port 2:10\nconfig 6:x = 1\n\nkernel 2:/k\nramdisk 3:/rd\n";
    struct state_domain d = {
        .domid = 7, .name = "web", .console_mfn = 4096, .console_port = 1,
        .store_port = 10, .config = "x = 1\n", .config_len = 6,
        .kernel_path = "/k", .ramdisk_path = "/rd",
    };
    size_t len;
    char *got;

    memset(d.uuid, 'u', sizeof(d.uuid));
    ck_assert_int_eq(state_save(&st, &d), 0);
    got = record_bytes(7, &len);
    ck_assert_uint_eq(len, sizeof(want) - 1);
    ck_assert_mem_eq(got, want, len);
    free(got);

    /* No configuration (a NULL one is saved empty), no files. */
    d.config = NULL;
    d.config_len = 0;
    d.kernel_path = d.ramdisk_path = NULL;
    ck_assert_int_eq(state_save(&st, &d), 0);
    got = record_bytes(7, &len);
    ck_assert_uint_eq(len, strlen(want) - strlen("x = 1\n") -
                               strlen("kernel 2:/k\nramdisk 3:/rd\n"));
    ck_assert_mem_eq(got + len - strlen("config 0:\n"), "config 0:\n",
                     strlen("config 0:\n"));
    free(got);
}
END_TEST

START_TEST(test_names_follow_the_newest_owner)
{
    struct state_domain a = { .domid = 3, .name = "db" };
    struct state_domain b = { .domid = 9, .name = "db" };
    uint32_t domid;

    ck_assert_int_eq(state_find_name(&st, "db", &domid), ENOENT);
    ck_assert_int_eq(state_save(&st, &a), 0);
    ck_assert_int_eq(state_find_name(&st, "db", &domid), 0);
    ck_assert_uint_eq(domid, 3);
    ck_assert_int_eq(state_save(&st, &b), 0);
    ck_assert_int_eq(state_find_name(&st, "db", &domid), 0);
    ck_assert_uint_eq(domid, 9);
    ck_assert_int_eq(state_remove(&st, 9), 0);
    ck_assert_int_eq(state_find_name(&st, "db", &domid), ENOENT);
    ck_assert_int_eq(state_load(&st, 9, &b), ENOENT);
}
END_TEST

Suite *state_suite(void)
{
    Suite *s = suite_create("state");
    TCase *tc = tcase_create("state");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_round_trip_of_any_bytes);
    tcase_add_test(tc, test_bytes_on_disk);
    tcase_add_test(tc, test_names_follow_the_newest_owner);
    suite_add_tcase(s, tc);
    return s;
}
