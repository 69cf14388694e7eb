/*
 * test_xendevd_port.c: xendevd's attach and detach logic
 * (xendevd/port.c over xendevd/netdev.c) on real interfaces: each test
 * runs in a network namespace of its own, with bridges and TAP devices
 * made by iproute2. No Xen is needed; CAP_NET_ADMIN is (the test makes a
 * user namespace for it when it is not root). A host where neither works
 * fails these tests: they are not skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../xendevd/netdev.h"
#include "../../xendevd/port.h"
#include "unit.h"

static struct netdev nd;
static char why[256];

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY);

    ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

/* A fresh network namespace; as non-root, inside a user namespace that
 * maps this user to root. */
static void enter_netns(void)
{
    uid_t uid = getuid();
    gid_t gid = getgid();
    char map[64];

    if (unshare(CLONE_NEWNET) == 0)
        goto opened;
    ck_assert_msg(unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0,
                  "cannot make a network namespace (as root, or in a user "
                  "namespace): %s; these tests need one", strerror(errno));
    write_file("/proc/self/setgroups", "deny");
    snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
    write_file("/proc/self/uid_map", map);
    snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
    write_file("/proc/self/gid_map", map);
opened:
    ck_assert_int_eq(netdev_open(&nd), 0);
}

static void leave_netns(void)
{
    netdev_close(&nd);
}

/* Runs a shell command made from FMT; it must succeed. */
static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
    char cmd[256];
    va_list ap;
    int r;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    r = system(cmd);
    ck_assert_msg(r == 0, "'%s' failed (%d)", cmd, r);
}

static struct netdev_link link_of(const char *name)
{
    struct netdev_link l;

    ck_assert_msg(netdev_by_name(&nd, name, &l) == 0, "no interface %s", name);
    return l;
}

static int index_of(const char *name)
{
    return link_of(name).index;
}

static int attach(const struct port_plan *p, struct port_result *res)
{
    return port_attach(&nd, p, res, why, sizeof(why));
}

static const unsigned char port_mac[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };

START_TEST(test_lookup)
{
    struct netdev_link l;

    sh("ip link add br0 type bridge && ip tuntap add vif1.0 mode tap");
    l = link_of("br0");
    ck_assert_str_eq(l.name, "br0");
    ck_assert_str_eq(l.kind, "bridge");
    ck_assert_int_gt(l.index, 0);
    ck_assert_int_eq(l.master, 0);
    l = link_of("vif1.0");
    ck_assert_str_eq(l.kind, "tun");
    ck_assert(l.has_mac);
    ck_assert_int_eq(netdev_by_name(&nd, "nosuch0", &l), ENODEV);
    ck_assert_int_eq(netdev_by_name(&nd, "a/b", &l), EINVAL);
    ck_assert_int_eq(netdev_by_index(&nd, index_of("br0"), &l), 0);
    ck_assert_str_eq(l.name, "br0");
}
END_TEST

START_TEST(test_attach)
{
    struct port_plan p = { .ifname = "vif1.0", .bridge = "br0" };
    struct port_result res;
    struct netdev_link l;

    sh("ip link add br0 mtu 1400 type bridge && ip link set br0 up");
    sh("ip tuntap add vif1.0 mode tap");
    ck_assert_int_eq(attach(&p, &res), 0);
    ck_assert(res.changed);
    ck_assert_str_eq(res.ifname, "vif1.0");
    ck_assert_uint_eq(res.mtu, 1400);
    l = link_of("vif1.0");
    ck_assert_int_eq(l.master, index_of("br0"));
    ck_assert(l.flags & IFF_UP);
    ck_assert_uint_eq(l.mtu, 1400);
    ck_assert_mem_eq(l.mac, port_mac, 6);
}
END_TEST

START_TEST(test_attach_again_changes_nothing)
{
    struct port_plan p = { .ifname = "vif1.0", .bridge = "br0" };
    struct port_result res;

    sh("ip link add br0 type bridge && ip tuntap add vif1.0 mode tap");
    ck_assert_int_eq(attach(&p, &res), 0);
    /* A changed MTU shows whether the second attach touched it. */
    sh("ip link set vif1.0 mtu 1300");
    ck_assert_int_eq(attach(&p, &res), 0);
    ck_assert(!res.changed);
    ck_assert_uint_eq(link_of("vif1.0").mtu, 1300);
    ck_assert_uint_eq(res.mtu, 1300);
}
END_TEST

START_TEST(test_attach_moves_to_its_bridge)
{
    struct port_plan p = { .ifname = "vif1.0", .bridge = "br1" };
    struct port_result res;

    sh("ip link add br0 type bridge && ip link add br1 type bridge");
    sh("ip tuntap add vif1.0 mode tap && ip link set vif1.0 master br0 up");
    ck_assert_int_eq(attach(&p, &res), 0);
    ck_assert(res.changed);
    ck_assert_int_eq(link_of("vif1.0").master, index_of("br1"));
    ck_assert(link_of("vif1.0").flags & IFF_UP);
}
END_TEST

START_TEST(test_attach_up_interface)
{
    struct port_plan p = { .ifname = "vif1.0", .bridge = "br0" };
    struct port_result res;

    sh("ip link add br0 type bridge && ip tuntap add vif1.0 mode tap");
    sh("ip link set vif1.0 up");
    ck_assert_int_eq(attach(&p, &res), 0);
    ck_assert_int_eq(link_of("vif1.0").master, index_of("br0"));
    ck_assert_mem_eq(link_of("vif1.0").mac, port_mac, 6);
}
END_TEST

START_TEST(test_attach_given_mtu)
{
    struct port_plan p = { .ifname = "vif1.0", .bridge = "br0", .mtu = 1280 };
    struct port_result res;

    sh("ip link add br0 type bridge && ip tuntap add vif1.0 mode tap");
    ck_assert_int_eq(attach(&p, &res), 0);
    ck_assert_uint_eq(res.mtu, 1280);
    ck_assert_uint_eq(link_of("vif1.0").mtu, 1280);
}
END_TEST

START_TEST(test_attach_no_bridge)
{
    struct port_plan p = { .ifname = "vif1.0", .bridge = "xenbr9" };
    struct port_result res;
    struct netdev_link l;

    sh("ip tuntap add vif1.0 mode tap");
    ck_assert_int_eq(attach(&p, &res), ENODEV);
    ck_assert_str_eq(why, "bridge xenbr9 does not exist");
    l = link_of("vif1.0");
    ck_assert_int_eq(l.master, 0);
    ck_assert(!(l.flags & IFF_UP));
}
END_TEST

START_TEST(test_attach_not_a_bridge)
{
    struct port_plan p = { .ifname = "vif1.0", .bridge = "tap9" };
    struct port_result res;

    sh("ip tuntap add vif1.0 mode tap && ip tuntap add tap9 mode tap");
    ck_assert_int_eq(attach(&p, &res), ENOTTY);
    ck_assert_str_eq(why, "tap9 is not a bridge");
    ck_assert_int_eq(link_of("vif1.0").master, 0);
}
END_TEST

START_TEST(test_attach_no_interface)
{
    struct port_plan p = { .ifname = "vif3.0", .bridge = "br0" };
    struct port_result res;

    sh("ip link add br0 type bridge");
    ck_assert_int_eq(attach(&p, &res), ENODEV);
    ck_assert_msg(strstr(why, "cannot find interface vif3.0"), "%s", why);
}
END_TEST

START_TEST(test_attach_bridge_to_itself)
{
    struct port_plan p = { .ifname = "br0", .bridge = "br0" };
    struct port_result res;

    sh("ip link add br0 type bridge");
    ck_assert_int_eq(attach(&p, &res), EINVAL);
}
END_TEST

START_TEST(test_attach_renamed)
{
    struct port_plan p = { .ifname = "vif1.0", .bridge = "br0",
                           .rename_to = "web0" };
    struct port_result res;
    struct netdev_link l;

    sh("ip link add br0 type bridge && ip tuntap add vif1.0 mode tap");
    ck_assert_int_eq(attach(&p, &res), 0);
    ck_assert_str_eq(res.ifname, "web0");
    ck_assert_int_eq(netdev_by_name(&nd, "vif1.0", &l), ENODEV);
    ck_assert_int_eq(link_of("web0").master, index_of("br0"));
    /* Asked again (a restarted xendevd): found under its new name. */
    ck_assert_int_eq(attach(&p, &res), 0);
    ck_assert(!res.changed);
    ck_assert_str_eq(res.ifname, "web0");
}
END_TEST

START_TEST(test_attach_rename_taken)
{
    struct port_plan p = { .ifname = "vif1.0", .bridge = "br0",
                           .rename_to = "web0" };
    struct port_result res;

    sh("ip link add br0 type bridge && ip tuntap add vif1.0 mode tap");
    sh("ip tuntap add web0 mode tap");
    ck_assert_int_eq(attach(&p, &res), EEXIST);
    ck_assert_str_eq(why, "cannot rename vif1.0 to web0: that name is taken");
    ck_assert_int_eq(link_of("vif1.0").master, 0);
}
END_TEST

START_TEST(test_detach)
{
    struct port_plan p = { .ifname = "vif1.0", .bridge = "br0" };
    struct port_result res;
    struct netdev_link l;

    sh("ip link add br0 type bridge && ip tuntap add vif1.0 mode tap");
    ck_assert_int_eq(attach(&p, &res), 0);
    ck_assert_int_eq(port_detach(&nd, "vif1.0", why, sizeof(why)), 0);
    l = link_of("vif1.0");
    ck_assert_int_eq(l.master, 0);
    ck_assert(!(l.flags & IFF_UP));
    ck_assert_int_eq(system("test -z \"$(ip -o link show master br0)\""), 0);
    /* Again, and for an interface that is gone: nothing to do. */
    ck_assert_int_eq(port_detach(&nd, "vif1.0", why, sizeof(why)), 0);
    ck_assert_int_eq(port_detach(&nd, "vif7.0", why, sizeof(why)), 0);
}
END_TEST

START_TEST(test_name_ok)
{
    ck_assert(netdev_name_ok("vif1.0"));
    ck_assert(netdev_name_ok("xenbr0"));
    ck_assert(netdev_name_ok("abcdefghijklmno"));       /* 15 bytes */
    ck_assert(!netdev_name_ok("abcdefghijklmnop"));     /* 16 */
    ck_assert(!netdev_name_ok(""));
    ck_assert(!netdev_name_ok("."));
    ck_assert(!netdev_name_ok(".."));
    ck_assert(!netdev_name_ok("a/b"));
    ck_assert(!netdev_name_ok("a b"));
    ck_assert(!netdev_name_ok("a:b"));
    ck_assert(!netdev_name_ok("a\nb"));
    ck_assert(!netdev_name_ok("\x7f"));
}
END_TEST

Suite *xendevd_port_suite(void)
{
    Suite *s = suite_create("xendevd_port");
    TCase *tc = tcase_create("netns");
    TCase *pure = tcase_create("names");

    tcase_add_checked_fixture(tc, enter_netns, leave_netns);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_lookup);
    tcase_add_test(tc, test_attach);
    tcase_add_test(tc, test_attach_again_changes_nothing);
    tcase_add_test(tc, test_attach_moves_to_its_bridge);
    tcase_add_test(tc, test_attach_up_interface);
    tcase_add_test(tc, test_attach_given_mtu);
    tcase_add_test(tc, test_attach_no_bridge);
    tcase_add_test(tc, test_attach_not_a_bridge);
    tcase_add_test(tc, test_attach_no_interface);
    tcase_add_test(tc, test_attach_bridge_to_itself);
    tcase_add_test(tc, test_attach_renamed);
    tcase_add_test(tc, test_attach_rename_taken);
    tcase_add_test(tc, test_detach);
    suite_add_tcase(s, tc);
    tcase_add_test(pure, test_name_ok);
    suite_add_tcase(s, pure);
    return s;
}
