/*
 * test_xendevd_events.c: which uevents are xendevd's and what they ask
 * for (xendevd/vifevent.c), and TAP vif descriptions (xendevd/tapconf.c).
 */
#include <string.h>

#include "../../xendevd/tapconf.h"
#include "../../xendevd/vifevent.h"
#include "unit.h"

/* A netback "online" event for vif-3-0, as Linux 6.1 sends it. */
static struct vif_uevent online(void)
{
    return (struct vif_uevent){
        .action = "online", .subsystem = "xen-backend",
        .sysname = "vif-3-0", .xenbus_path = "backend/vif/3/0",
        .vif = "vif3.0", .script = "/etc/xen/scripts/vif-xendevd",
    };
}

static struct vif_event classify(struct vif_uevent u)
{
    struct vif_event ev;

    vif_event_classify(&u, &ev);
    return ev;
}

START_TEST(test_xenstore_online)
{
    struct vif_event ev = classify(online());

    ck_assert_int_eq(ev.op, VIF_ONLINE);
    ck_assert_int_eq(ev.source, VIF_XENSTORE);
    ck_assert_uint_eq(ev.domid, 3);
    ck_assert_uint_eq(ev.devid, 0);
    ck_assert_str_eq(ev.ifname, "vif3.0");
    ck_assert_str_eq(ev.path, "backend/vif/3/0");
}
END_TEST

START_TEST(test_xenstore_offline)
{
    struct vif_uevent u = online();
    struct vif_event ev;

    u.action = "offline";
    ev = classify(u);
    ck_assert_int_eq(ev.op, VIF_OFFLINE);
    ck_assert_str_eq(ev.ifname, "vif3.0");
}
END_TEST

START_TEST(test_xenstore_scripts)
{
    struct vif_uevent u = online();

    u.script = "";
    ck_assert_int_eq(classify(u).op, VIF_ONLINE);
    u.script = NULL;
    ck_assert_int_eq(classify(u).op, VIF_ONLINE);
    u.script = "vif-xendevd";
    ck_assert_int_eq(classify(u).op, VIF_ONLINE);
    u.script = "/usr/local/lib/xendevd/vif-xendevd";
    ck_assert_int_eq(classify(u).op, VIF_ONLINE);
    u.script = "/etc/xen/scripts/vif-bridge";   /* the script does it */
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
    u.script = "/etc/xen/scripts/vif-route";
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
    u.script = "/etc/xen/scripts/vif-xendevd-custom";
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
    u.script = "/etc/xen/scripts/vif-openvswitch";
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
}
END_TEST

START_TEST(test_xenstore_ignored)
{
    static const char *const bad_names[] = {
        "vbd-3-51712", "vif-3", "vif-3-", "vif--0", "vif-03-0", "vif-3-00",
        "vif-+3-0", "vif-3-0x", "vif-32752-0", "vif-3-2147483648",
        "vif-99999999999999999999-0", "vif3.0", "",
    };
    struct vif_uevent u;

    for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
        u = online();
        u.sysname = bad_names[i];
        ck_assert_msg(classify(u).op == VIF_IGNORE, "%s", bad_names[i]);
    }
    u = online();
    u.sysname = "vif-32751-2147483647";
    u.xenbus_path = "backend/vif/32751/2147483647";
    ck_assert_int_eq(classify(u).op, VIF_ONLINE);

    u = online();
    u.action = "add";
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
    u.action = "remove";
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
    u = online();
    u.xenbus_path = "backend/vif/4/0";         /* another device */
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
    u.xenbus_path = "backend/vif/3/0/";
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
    u.xenbus_path = NULL;
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
    u = online();
    u.vif = NULL;
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
    u.vif = "../../etc";
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
    u.vif = "a-name-too-long-for-linux";
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
    u = online();
    u.subsystem = NULL;
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
    u.subsystem = "block";
    ck_assert(classify(u).why != NULL);
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
}
END_TEST

START_TEST(test_tap)
{
    struct vif_uevent u = { .action = "add", .subsystem = "net",
                            .sysname = "vif12.3" };
    struct vif_event ev = classify(u);

    ck_assert_int_eq(ev.op, VIF_ONLINE);
    ck_assert_int_eq(ev.source, VIF_TAP);
    ck_assert_uint_eq(ev.domid, 12);
    ck_assert_uint_eq(ev.devid, 3);
    ck_assert_str_eq(ev.ifname, "vif12.3");
    u.action = "remove";
    ck_assert_int_eq(classify(u).op, VIF_OFFLINE);
    u.action = "move";
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
    u.action = "add";
    u.sysname = "vif12.3-emu";
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
    u.sysname = "eth0";
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
    u.sysname = "vif12";
    ck_assert_int_eq(classify(u).op, VIF_IGNORE);
}
END_TEST

START_TEST(test_tap_name)
{
    unsigned d, n;

    ck_assert_int_eq(vif_parse_tap_name("vif0.0", &d, &n), 0);
    ck_assert_int_eq(vif_parse_tap_name("vif32751.7", &d, &n), 0);
    ck_assert_uint_eq(d, 32751);
    ck_assert_uint_eq(n, 7);
    ck_assert_int_eq(vif_parse_tap_name("vif32752.0", &d, &n), -1);
    ck_assert_int_eq(vif_parse_tap_name("vif1.", &d, &n), -1);
    ck_assert_int_eq(vif_parse_tap_name("vif.1", &d, &n), -1);
    ck_assert_int_eq(vif_parse_tap_name("vif1.01", &d, &n), -1);
    ck_assert_int_eq(vif_parse_tap_name("vif1-0", &d, &n), -1);
    ck_assert_int_eq(vif_parse_tap_name("Vif1.0", &d, &n), -1);
}
END_TEST

static int parse(const char *text, struct tapconf *c, unsigned *line,
                 const char **why)
{
    *line = 0;
    *why = NULL;
    return tapconf_parse(text, strlen(text), c, line, why);
}

START_TEST(test_tapconf)
{
    struct tapconf c;
    const char *why;
    unsigned line;

    ck_assert_int_eq(parse("", &c, &line, &why), 0);
    ck_assert_str_eq(c.bridge, "");
    ck_assert_uint_eq(c.mtu, 0);
    ck_assert_int_eq(parse("bridge=xenbr1\nmtu=9000\n", &c, &line, &why), 0);
    ck_assert_str_eq(c.bridge, "xenbr1");
    ck_assert_uint_eq(c.mtu, 9000);
    ck_assert_int_eq(parse("# made by chaosd\n\nbridge=br0", &c, &line, &why),
                     0);
    ck_assert_str_eq(c.bridge, "br0");
    ck_assert_int_eq(parse("colour=blue\nbridge=br0\n", &c, &line, &why), 0);
    ck_assert_str_eq(c.bridge, "br0");
}
END_TEST

START_TEST(test_tapconf_bad)
{
    static const struct { const char *text; unsigned line; } bad[] = {
        { "bridge\n", 1 },
        { "bridge=\n", 1 },
        { "\nbridge=a/b\n", 2 },
        { "bridge=abcdefghijklmnop\n", 1 },
        { "bridge=a b\n", 1 },
        { "mtu=67\n", 1 },
        { "mtu=65536\n", 1 },
        { "mtu=0\n", 1 },
        { "mtu=01500\n", 1 },
        { "mtu=15x0\n", 1 },
        { "mtu=\n", 1 },
        { "mtu=999999999999\n", 1 },
        { "bridge=br0\n\n#\nmtu=-1\n", 4 },
    };
    struct tapconf c;
    const char *why;
    unsigned line;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(parse(bad[i].text, &c, &line, &why) == -1, "%s",
                      bad[i].text);
        ck_assert_uint_eq(line, bad[i].line);
        ck_assert(why != NULL);
    }
    ck_assert_int_eq(tapconf_parse("bridge=br\0x\n", 12, &c, &line, &why), -1);
}
END_TEST

Suite *xendevd_events_suite(void)
{
    Suite *s = suite_create("xendevd_events");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_xenstore_online);
    tcase_add_test(tc, test_xenstore_offline);
    tcase_add_test(tc, test_xenstore_scripts);
    tcase_add_test(tc, test_xenstore_ignored);
    tcase_add_test(tc, test_tap);
    tcase_add_test(tc, test_tap_name);
    tcase_add_test(tc, test_tapconf);
    tcase_add_test(tc, test_tapconf_bad);
    suite_add_tcase(s, tc);
    return s;
}
