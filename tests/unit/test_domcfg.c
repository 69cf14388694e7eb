/*
 * chaos/domcfg: xl.cfg keys to a domain configuration, with xl's messages.
 *
 * The expected messages and exit statuses in msg_cases were produced by
 * the real Xen 4.17 xl (`xl -N create -q t.cfg`, run against a stub of
 * libxenctrl); lines ending in "not supported by chaos" are chaos's own.
 * libxlutil, which xl uses, is the oracle for the number/list warnings.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxlutil.h>

#include "../../chaos/domcfg.h"
#include "unit.h"

#define SOURCE "t.cfg"
#define BASE "name='a'\nkernel='k'\n"     /* a minimal valid PV config */
#define MIB 1024u

struct run {
    struct domcfg dc;
    int rc;
    char *msgs;
};

/* Parses TEXT and interprets it into R->dc; frees nothing. */
static void run(struct run *r, const char *text)
{
    struct xlcfg cfg;
    size_t len = 0;
    FILE *f = open_memstream(&r->msgs, &len);

    ck_assert_ptr_nonnull(f);
    xlcfg_init(&cfg);
    ck_assert_int_eq(xlcfg_parse(&cfg, SOURCE, text, strlen(text), NULL), 0);
    domcfg_init(&r->dc);
    r->rc = domcfg_from_xlcfg(&r->dc, &cfg, SOURCE, f);
    fclose(f);
    xlcfg_dispose(&cfg);
}

static void done(struct run *r)
{
    domcfg_dispose(&r->dc);
    free(r->msgs);
}

/* Runs TEXT, expecting success and no messages. */
static void run_ok(struct run *r, const char *text)
{
    run(r, text);
    ck_assert_msg(r->rc == 0, "<<%s>>: rc %d, msgs <<%s>>", text, r->rc,
                  r->msgs);
    ck_assert_str_eq(r->msgs, "");
}

static bool empty(const struct domcfg *dc)
{
    static const struct domcfg zero;

    return memcmp(dc, &zero, sizeof(zero)) == 0;
}

/* Configs with the exact messages and status of xl 4.17 (see the top). */
static const struct msg_case {
    const char *cfg;
    int rc;
    const char *msgs;
} msg_cases[] = {
    /* type and builder */
    { "name='a'\nkernel='k'\ntype='PV'\nname=['x']\n", 1,
      "Invalid domain type PV.\n" },
    { "kernel='k'\ntype=['pv']\nbuilder=['x']\nname=['x']\n", 1,
      "t.cfg:2: warning: parameter `type' is a list but should be a single "
      "value\n"
      "t.cfg:3: warning: parameter `builder' is a list but should be a "
      "single value\n"
      "t.cfg:4: warning: parameter `name' is a list but should be a single "
      "value\n"
      "Domain name must be specified.\n" },
    { "kernel='k'\ntype='x'\nname=['x']\n", 1, "Invalid domain type x.\n" },
    { "kernel='k'\nbuilder='x'\ntype='y'\n", 1, "Invalid domain type y.\n" },
    { "kernel='k'\ntype='pvh'\nbuilder='x'\n", 1,
      "Invalid domain type x.\n" },
    { "kernel='k'\ntype='pvh'\nbuilder='hvm'\n", 1,
      "Contradicting \"builder\" and \"type\" options specified.\n" },
    { BASE "type='pvh'\nbuilder='generic'\n", 1,
      "Contradicting \"builder\" and \"type\" options specified.\n" },
    { BASE "type='pvhx'\n", 1, "Invalid domain type pvhx.\n" },
    { BASE "type='hvmx'\n", 1, "Invalid domain type hvmx.\n" },
    { BASE "builder='generics'\n", 1, "Invalid domain type generics.\n" },
    { BASE "type=1\n", 1, "Invalid domain type 1.\n" },
    /* name */
    { "kernel='k'\n", 1, "Domain name must be specified.\n" },
    { "kernel='k'\nname=[]\n", 1,
      "t.cfg:2: warning: parameter `name' is a list but should be a single "
      "value\nDomain name must be specified.\n" },
    /* uuid, checked before the numbers */
    { BASE "memory='abc'\nmaxmem=[2]\nvcpus='x'\nmaxvcpus=0x\nuuid='z'\n", 1,
      "Failed to parse UUID: z\n" },
    { BASE "uuid='01234567-89ab-cdef-0123-456789abcdeg'\n", 1,
      "Failed to parse UUID: 01234567-89ab-cdef-0123-456789abcdeg\n" },
    { BASE "uuid='01234567-89ab-cdef-0123-456789abcdef0'\n", 1,
      "Failed to parse UUID: 01234567-89ab-cdef-0123-456789abcdef0\n" },
    { BASE "uuid='01234567-89ab-cdef-0123-456789abcde'\n", 1,
      "Failed to parse UUID: 01234567-89ab-cdef-0123-456789abcde\n" },
    { BASE "uuid='0123456789-ab-cdef-0123-456789abcdef'\n", 1,
      "Failed to parse UUID: 0123456789-ab-cdef-0123-456789abcdef\n" },
    { BASE "uuid='0123456789ABCDEF0123456789abcdef'\n", 1,
      "Failed to parse UUID: 0123456789ABCDEF0123456789abcdef\n" },
    { BASE "uuid='+1234567-89ab-cdef-0123-456789abcdef'\n", 1,
      "Failed to parse UUID: +1234567-89ab-cdef-0123-456789abcdef\n" },
    { BASE "uuid=' 1234567-89ab-cdef-0123-456789abcdef'\n", 1,
      "Failed to parse UUID:  1234567-89ab-cdef-0123-456789abcdef\n" },
    { BASE "uuid='01234567_89ab-cdef-0123-456789abcdef'\n", 1,
      "Failed to parse UUID: 01234567_89ab-cdef-0123-456789abcdef\n" },
    { BASE "uuid=''\n", 1, "Failed to parse UUID: \n" },
    { BASE "uuid=['x']\n", 0,
      "t.cfg:3: warning: parameter `uuid' is a list but should be a single "
      "value\n" },
    /* numbers: warned about and treated as absent */
    { BASE "memory='64 '\n", 0,
      "t.cfg:3: warning: parameter `memory' is not a valid number\n" },
    { BASE "memory='64'\nmemory+='1'\n", 0,
      "t.cfg:4: warning: can't use += with numbers for parameter "
      "`memory'\n" },
    { BASE "memory=[1]\n", 0,
      "t.cfg:3: warning: parameter `memory' is a list but should be a "
      "single value\n" },
    { BASE "memory=99999999999999999999\n", 0,
      "t.cfg:3: warning: parameter `memory' could not be parsed as a "
      "number: Numerical result out of range\n" },
    { BASE "memory = [\n1\n]\nvcpus = 'x' # c\nmaxmem = 'a'\n"
      "maxmem += 'b'\nmaxvcpus = 'x'\nmaxvcpus = 'y'\n", 0,
      "t.cfg:3: warning: parameter `memory' is a list but should be a "
      "single value\n"
      "t.cfg:8: warning: can't use += with numbers for parameter "
      "`maxmem'\n"
      "t.cfg:6: warning: parameter `vcpus' is not a valid number\n"
      "t.cfg:10: warning: parameter `maxvcpus' is not a valid number\n" },
    { BASE "memory='abc'\nmaxmem=[2]\nvcpus='x'\nmaxvcpus=0x\n"
      "on_crash='x'\n", 1,
      "t.cfg:3: warning: parameter `memory' is not a valid number\n"
      "t.cfg:4: warning: parameter `maxmem' is a list but should be a "
      "single value\n"
      "t.cfg:5: warning: parameter `vcpus' is not a valid number\n"
      "t.cfg:6: warning: parameter `maxvcpus' is not a valid number\n"
      "Unknown on_crash action \"x\" specified\n" },
    /* vcpus and maxvcpus */
    { BASE "vcpus='-1'\nmaxvcpus='x'\n", 1,
      "libxl: error: libxl_utils.c:809:libxl_cpu_bitmap_alloc: invalid "
      "number of cpus provided\nUnable to allocate cpumap\n" },
    { BASE "vcpus=0x80000000\n", 1,
      "libxl: error: libxl_utils.c:809:libxl_cpu_bitmap_alloc: invalid "
      "number of cpus provided\nUnable to allocate cpumap\n" },
    { BASE "vcpus=2\nmaxvcpus='-1'\n", 1, "xl: maxvcpus < vcpus\n" },
    { BASE "maxvcpus='-1'\n", 1, "xl: maxvcpus < vcpus\n" },
    { BASE "vcpus=4\nmaxvcpus=3\non_crash='x'\n", 1,
      "xl: maxvcpus < vcpus\n" },
    { BASE "vcpus=0x100000001\n", 1, "xl: maxvcpus < vcpus\n" },
    /* on_* actions, in xl's order */
    { BASE "on_poweroff='soft_reset'\n", 1,
      "Unknown on_poweroff action \"soft_reset\" specified\n" },
    { BASE "on_reboot='Destroy'\n", 1,
      "Unknown on_reboot action \"Destroy\" specified\n" },
    { BASE "on_crash='y'\non_watchdog=1\n", 1,
      "Unknown on_watchdog action \"1\" specified\n" },
    { BASE "on_soft_reset=''\n", 1,
      "Unknown on_soft_reset action \"\" specified\n" },
    { BASE "on_soft_reset='x'\non_crash='y'\n", 1,
      "Unknown on_crash action \"y\" specified\n" },
    { BASE "on_poweroff=['x']\non_reboot=[]\n", 0,
      "t.cfg:3: warning: parameter `on_poweroff' is a list but should be a "
      "single value\n"
      "t.cfg:4: warning: parameter `on_reboot' is a list but should be a "
      "single value\n" },
    { BASE "on_crash='rename-restart '\n", 1,
      "Unknown on_crash action \"rename-restart \" specified\n" },
    /* kernel, ramdisk, cmdline */
    { "name='a'\n", 1, "Neither kernel nor bootloader specified\n" },
    { "name='a'\ntype='pvh'\n", 1,
      "Neither kernel nor bootloader specified\n" },
    { "name='a'\nkernel=['x']\nramdisk=['y']\ncmdline=['c']\nroot=['r']\n"
      "extra=['e']\n", 1,
      "t.cfg:2: warning: parameter `kernel' is a list but should be a "
      "single value\n"
      "t.cfg:3: warning: parameter `ramdisk' is a list but should be a "
      "single value\n"
      "t.cfg:4: warning: parameter `cmdline' is a list but should be a "
      "single value\n"
      "t.cfg:5: warning: parameter `root' is a list but should be a single "
      "value\n"
      "t.cfg:6: warning: parameter `extra' is a list but should be a "
      "single value\n"
      "Neither kernel nor bootloader specified\n" },
    { BASE "cmdline=''\nroot='r'\n", 0,
      "Warning: ignoring root= and extra= in favour of cmdline=\n" },
    { BASE "cmdline='c'\nextra='e'\n", 0,
      "Warning: ignoring root= and extra= in favour of cmdline=\n" },
    { BASE "cmdline=['c']\nroot='r'\n", 0,
      "t.cfg:3: warning: parameter `cmdline' is a list but should be a "
      "single value\n" },
    { "name='a'\ntype='hvm'\nkernel='/usr/lib/hvmloader'\ncmdline='c'\n"
      "root='r'\n", 0,
      "Warning: ignoring root= and extra= in favour of cmdline=\n"
      "WARNING: you seem to be using \"kernel\" directive to override HVM "
      "guest firmware. Ignore that. Use \"firmware_override\" instead if "
      "you really want a non-default firmware\n" },
    /* keys chaos does not read: reported after success only */
    { BASE "pci=['bridge=xenbr0']\ndisk=[]\nfoo=1\npci=[]\nsome.key='x'\n",
      0,
      "t.cfg:4: warning: ignoring `disk': not supported by chaos\n"
      "t.cfg:5: warning: ignoring `foo': not supported by chaos\n"
      "t.cfg:6: warning: ignoring `pci': not supported by chaos\n"
      "t.cfg:7: warning: ignoring `some.key': not supported by chaos\n" },
    { "memroy=128\nname='a'\nkernel='k'\nmemory='x'\nextra='e'\n"
      "cmdline='c'\n", 0,
      "t.cfg:4: warning: parameter `memory' is not a valid number\n"
      "Warning: ignoring root= and extra= in favour of cmdline=\n"
      "t.cfg:1: warning: ignoring `memroy': not supported by chaos\n" },
    { "pci=[]\nname='a'\non_crash='x'\n", 1,
      "Unknown on_crash action \"x\" specified\n" },
    { "pci=[]\nname='a'\n", 1, "Neither kernel nor bootloader specified\n" },
    /* chaos only: why a bootloader or firmware does not count */
    { "firmware='pvgrub64'\nname='a'\npci=[]\nbootloader='pygrub'\n", 1,
      "t.cfg:1: warning: ignoring `firmware': not supported by chaos\n"
      "t.cfg:4: warning: ignoring `bootloader': not supported by chaos\n"
      "Neither kernel nor bootloader specified\n" },
    { BASE "bootloader='pygrub'\n", 0,
      "t.cfg:3: warning: ignoring `bootloader': not supported by chaos\n" },
};

START_TEST(test_messages_match_xl)
{
    const struct msg_case *c = &msg_cases[_i];
    struct run r;

    run(&r, c->cfg);
    ck_assert_msg(r.rc == c->rc, "<<%s>>: rc %d, expected %d", c->cfg, r.rc,
                  c->rc);
    ck_assert_msg(strcmp(r.msgs, c->msgs) == 0,
                  "<<%s>>:\n got <<%s>>\nwant <<%s>>", c->cfg, r.msgs,
                  c->msgs);
    if (r.rc) {
        ck_assert(empty(&r.dc));
    } else {
        ck_assert_ptr_nonnull(r.dc.name);
        ck_assert_uint_ge(r.dc.max_vcpus, 1);
    }
    done(&r);
}
END_TEST

START_TEST(test_defaults)
{
    struct run r;

    run_ok(&r, BASE);
    ck_assert_str_eq(r.dc.name, "a");
    ck_assert(!r.dc.uuid_set);
    ck_assert_int_eq(r.dc.type, DOMCFG_PV);
    ck_assert_str_eq(r.dc.kernel, "k");
    ck_assert_ptr_null(r.dc.ramdisk);
    ck_assert_ptr_null(r.dc.cmdline);
    ck_assert_uint_eq(r.dc.target_kb, 32 * MIB);
    ck_assert_uint_eq(r.dc.max_kb, 32 * MIB);
    ck_assert_uint_eq(r.dc.vcpus, 1);
    ck_assert_uint_eq(r.dc.max_vcpus, 1);
    ck_assert_int_eq(r.dc.on_poweroff, DOMCFG_DESTROY);
    ck_assert_int_eq(r.dc.on_reboot, DOMCFG_RESTART);
    ck_assert_int_eq(r.dc.on_watchdog, DOMCFG_DESTROY);
    ck_assert_int_eq(r.dc.on_crash, DOMCFG_DESTROY);
    ck_assert_int_eq(r.dc.on_soft_reset, DOMCFG_SOFT_RESET);
    done(&r);
}
END_TEST

static const struct mem_case {
    const char *cfg;
    uint64_t target_kb, max_kb;
} mem_cases[] = {
    { "memory=128\n", 128 * MIB, 128 * MIB },
    { "maxmem=256\n", 256 * MIB, 256 * MIB },
    { "memory=128\nmaxmem=64\n", 128 * MIB, 64 * MIB },
    { "memory=64\nmaxmem=512\n", 64 * MIB, 512 * MIB },
    { "memory=0\n", 0, 0 },
    { "memory=64\nmaxmem=0\n", 64 * MIB, 0 },
    { "maxmem=0\n", 0, 0 },
    { "memory='-5'\n", (uint64_t)-5 * 1024, (uint64_t)-5 * 1024 },
    { "memory=0x40\nmaxmem=010\n", 64 * MIB, 8 * MIB },
    { "memory=' 64'\n", 64 * MIB, 64 * MIB },
    { "memory=\"48\"\n", 48 * MIB, 48 * MIB },
    { "memory=8\nmemory=16\n", 16 * MIB, 16 * MIB },
    { "memory=1\nmemory=2\n\nmemory=4096\n", 4096 * MIB, 4096 * MIB },
};

START_TEST(test_memory)
{
    const struct mem_case *c = &mem_cases[_i];
    char text[256];
    struct run r;

    snprintf(text, sizeof(text), BASE "%s", c->cfg);
    run_ok(&r, text);
    ck_assert_msg(r.dc.target_kb == c->target_kb && r.dc.max_kb == c->max_kb,
                  "<<%s>>: target %llu max %llu", c->cfg,
                  (unsigned long long)r.dc.target_kb,
                  (unsigned long long)r.dc.max_kb);
    done(&r);
}
END_TEST

START_TEST(test_bad_numbers_are_absent)
{
    struct run r;

    run(&r, BASE "memory='64 '\nmaxmem=[1]\nvcpus='2x'\nmaxvcpus='3'\n"
        "maxvcpus+='1'\n");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_uint_eq(r.dc.target_kb, 32 * MIB);
    ck_assert_uint_eq(r.dc.max_kb, 32 * MIB);
    ck_assert_uint_eq(r.dc.vcpus, 1);
    ck_assert_uint_eq(r.dc.max_vcpus, 1);
    done(&r);
    run(&r, BASE "memory=256\nmemory='x'\n");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_uint_eq(r.dc.target_kb, 32 * MIB);
    done(&r);
}
END_TEST

static const struct vcpu_case {
    const char *cfg;
    unsigned int vcpus, max_vcpus;
} vcpu_cases[] = {
    { "vcpus=4\n", 4, 4 },
    { "vcpus=4\nmaxvcpus=0\n", 4, 4 },
    { "vcpus=4\nmaxvcpus=4\n", 4, 4 },
    { "vcpus=4\nmaxvcpus=8\n", 4, 8 },
    { "maxvcpus=8\n", 1, 8 },
    { "maxvcpus=0\n", 1, 1 },
    { "vcpus=1\n", 1, 1 },
    { "vcpus=0\n", 0, 1 },
    { "vcpus=0\nmaxvcpus=0\n", 0, 1 },
    { "vcpus=0\nmaxvcpus=2\n", 0, 2 },
    { "vcpus=5000\n", 5000, 5000 },
    { "vcpus=0x10\nmaxvcpus=020\n", 16, 16 },
    { "vcpus=2\nmaxvcpus=0x100000004\n", 2, 4 },
};

START_TEST(test_vcpus)
{
    const struct vcpu_case *c = &vcpu_cases[_i];
    char text[256];
    struct run r;

    snprintf(text, sizeof(text), BASE "%s", c->cfg);
    run_ok(&r, text);
    ck_assert_msg(r.dc.vcpus == c->vcpus && r.dc.max_vcpus == c->max_vcpus,
                  "<<%s>>: vcpus %u max %u", c->cfg, r.dc.vcpus,
                  r.dc.max_vcpus);
    done(&r);
}
END_TEST

static const struct type_case {
    const char *cfg;
    int type;               /* -1: rejected */
} type_cases[] = {
    { "type=''\n", DOMCFG_HVM },
    { "type='h'\n", DOMCFG_HVM },
    { "type='hv'\n", DOMCFG_HVM },
    { "type='hvm'\n", DOMCFG_HVM },
    { "type='p'\n", DOMCFG_PV },
    { "type='pv'\n", DOMCFG_PV },
    { "type='pvh'\n", DOMCFG_PVH },
    { "type='pvhvm'\n", -1 },
    { "type='Pv'\n", -1 },
    { "type='v'\n", -1 },
    { "builder=''\n", DOMCFG_HVM },
    { "builder='hvm'\n", DOMCFG_HVM },
    { "builder='g'\n", DOMCFG_PV },
    { "builder='generic'\n", DOMCFG_PV },
    { "builder='pv'\n", -1 },
    { "type='hv'\nbuilder='h'\n", DOMCFG_HVM },
    { "type='p'\nbuilder='gen'\n", DOMCFG_PV },
    { "type='pvh'\nbuilder='generic'\n", -1 },
    { "type='pv'\nbuilder='hvm'\n", -1 },
    { "type=['hvm']\nbuilder='hvm'\n", DOMCFG_HVM },
    { "type='pvh'\ntype='pv'\n", DOMCFG_PV },
    { "type='pv'\ntype+='h'\n", DOMCFG_PVH },
};

START_TEST(test_type)
{
    const struct type_case *c = &type_cases[_i];
    char text[256];
    struct run r;

    snprintf(text, sizeof(text), BASE "%s", c->cfg);
    run(&r, text);
    if (c->type < 0) {
        ck_assert_msg(r.rc == 1, "<<%s>> accepted", c->cfg);
    } else {
        ck_assert_msg(r.rc == 0, "<<%s>>: %s", c->cfg, r.msgs);
        ck_assert_msg((int)r.dc.type == c->type, "<<%s>>: type %d", c->cfg,
                      r.dc.type);
    }
    done(&r);
}
END_TEST

START_TEST(test_hvm_and_pvh_need_what_xl_needs)
{
    struct run r;

    run_ok(&r, "name='h'\ntype='hvm'\n");
    ck_assert_int_eq(r.dc.type, DOMCFG_HVM);
    ck_assert_ptr_null(r.dc.kernel);
    done(&r);
    run(&r, "name='h'\ntype='hvm'\nkernel='/x/hvmloader'\n");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_ptr_null(r.dc.kernel);
    done(&r);
    run_ok(&r, "name='h'\ntype='hvm'\nkernel='/x/hvmloader/'\n");
    ck_assert_str_eq(r.dc.kernel, "/x/hvmloader/");
    done(&r);
    run_ok(&r, "name='p'\ntype='pvh'\nkernel='/boot/hvmloader'\n");
    ck_assert_int_eq(r.dc.type, DOMCFG_PVH);
    ck_assert_str_eq(r.dc.kernel, "/boot/hvmloader");
    done(&r);
}
END_TEST

START_TEST(test_names_are_not_validated)
{
    static const char *const cfgs[] = {
        "name=''\n", "name='a b/c\"d'\n", "name='\xc3\xa9t\xc3\xa9'\n",
        "name=1\n", "name=0x10\n", "name='x'\nname+='y'\n",
    };
    static const char *const names[] = {
        "", "a b/c\"d", "\xc3\xa9t\xc3\xa9", "1", "0x10", "xy",
    };

    for (size_t i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
        char text[128];
        struct run r;

        snprintf(text, sizeof(text), "kernel='k'\n%s", cfgs[i]);
        run_ok(&r, text);
        ck_assert_str_eq(r.dc.name, names[i]);
        done(&r);
    }
}
END_TEST

START_TEST(test_uuid)
{
    static const uint8_t want[16] = {
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
        0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
    };
    static const char *const spellings[] = {
        "01234567-89ab-cdef-fedc-ba9876543210",
        "01234567-89AB-CDEF-FEDC-BA9876543210",
        "01234567-89aB-CdeF-fEDc-Ba9876543210",
    };

    for (size_t i = 0; i < 3; i++) {
        char text[128];
        struct run r;

        snprintf(text, sizeof(text), BASE "uuid='%s'\n", spellings[i]);
        run_ok(&r, text);
        ck_assert(r.dc.uuid_set);
        ck_assert_mem_eq(r.dc.uuid, want, 16);
        done(&r);
    }
}
END_TEST

START_TEST(test_actions)
{
    static const char *const keys[] = {
        "on_poweroff", "on_reboot", "on_watchdog", "on_crash",
        "on_soft_reset",
    };
    static const char *const values[] = {
        "destroy", "restart", "rename-restart", "preserve",
        "coredump-destroy", "coredump-restart", "soft-reset",
    };

    for (size_t k = 0; k < 5; k++) {
        for (size_t v = 0; v < 7; v++) {
            char text[128];
            struct run r;
            enum domcfg_action got[5];

            snprintf(text, sizeof(text), BASE "%s='%s'\n", keys[k],
                     values[v]);
            run_ok(&r, text);
            got[0] = r.dc.on_poweroff;
            got[1] = r.dc.on_reboot;
            got[2] = r.dc.on_watchdog;
            got[3] = r.dc.on_crash;
            got[4] = r.dc.on_soft_reset;
            ck_assert_msg(got[k] == (enum domcfg_action)v, "%s", text);
            ck_assert_str_eq(domcfg_action_name(got[k]), values[v]);
            done(&r);
        }
    }
}
END_TEST

START_TEST(test_names_of_enums)
{
    ck_assert_str_eq(domcfg_action_name(DOMCFG_DESTROY), "destroy");
    ck_assert_str_eq(domcfg_action_name(DOMCFG_RENAME_RESTART),
                     "rename-restart");
    ck_assert_str_eq(domcfg_action_name(DOMCFG_SOFT_RESET), "soft-reset");
    ck_assert_ptr_null(domcfg_action_name((enum domcfg_action)7));
    ck_assert_str_eq(domcfg_type_name(DOMCFG_PV), "pv");
    ck_assert_str_eq(domcfg_type_name(DOMCFG_PVH), "pvh");
    ck_assert_str_eq(domcfg_type_name(DOMCFG_HVM), "hvm");
}
END_TEST

static const struct boot_case {
    const char *cfg;
    const char *kernel, *ramdisk, *cmdline;
} boot_cases[] = {
    { "name='a'\nkernel=''\nramdisk=''\n", "", NULL, NULL },
    { BASE "ramdisk='/boot/initrd'\n", "k", "/boot/initrd", NULL },
    { BASE "cmdline='console=hvc0'\n", "k", NULL, "console=hvc0" },
    { BASE "cmdline=''\n", "k", NULL, "" },
    { BASE "cmdline=5\n", "k", NULL, "5" },
    { BASE "root='/dev/xvda'\n", "k", NULL, "root=/dev/xvda" },
    { BASE "extra='console=hvc0'\n", "k", NULL, "console=hvc0" },
    { BASE "root='/dev/xvda1 ro'\nextra='quiet'\n", "k", NULL,
      "root=/dev/xvda1 ro quiet" },
    { BASE "root=''\n", "k", NULL, "root=" },
    { BASE "extra=''\n", "k", NULL, "" },
    { BASE "root=''\nextra=''\n", "k", NULL, "root= " },
    { BASE "cmdline='c'\nroot='r'\nextra='e'\n", "k", NULL, "c" },
    { BASE "cmdline=[]\nroot='r'\n", "k", NULL, "root=r" },
    { BASE "extra='a'\nextra+=' b'\n", "k", NULL, "a b" },
    { "name='a'\nkernel='/k1'\nkernel='/k2'\n", "/k2", NULL, NULL },
};

START_TEST(test_kernel_ramdisk_cmdline)
{
    const struct boot_case *c = &boot_cases[_i];
    struct run r;

    run(&r, c->cfg);
    ck_assert_msg(r.rc == 0, "<<%s>>: %s", c->cfg, r.msgs);
    ck_assert_str_eq(r.dc.kernel, c->kernel);
    if (c->ramdisk)
        ck_assert_str_eq(r.dc.ramdisk, c->ramdisk);
    else
        ck_assert_ptr_null(r.dc.ramdisk);
    if (c->cmdline)
        ck_assert_str_eq(r.dc.cmdline, c->cmdline);
    else
        ck_assert_ptr_null(r.dc.cmdline);
    done(&r);
}
END_TEST

/*
 * `xl create -N -q e.cfg memory=16 "pci=['x']" "memory='x'"` with e.cfg
 * holding the first four lines reads this text (the arguments framed as
 * "\n" + "K=V\n"...) and warns about line 8.
 */
START_TEST(test_command_line_settings_keep_xls_lines)
{
    struct run r;

    run(&r, "name='a'\nkernel='k'\nmemory=8\npci=[]\n"
        "\nmemory=16\npci=['x']\nmemory='x'\n");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_str_eq(r.msgs,
        "t.cfg:8: warning: parameter `memory' is not a valid number\n"
        "t.cfg:7: warning: ignoring `pci': not supported by chaos\n");
    ck_assert_uint_eq(r.dc.target_kb, 32 * MIB);
    done(&r);
}
END_TEST

START_TEST(test_dispose_is_idempotent)
{
    struct run r;

    run_ok(&r, BASE "ramdisk='r'\ncmdline='c'\n");
    domcfg_dispose(&r.dc);
    ck_assert(empty(&r.dc));
    domcfg_dispose(&r.dc);
    ck_assert(empty(&r.dc));
    free(r.msgs);
}
END_TEST

/*
 * libxlutil as the oracle for the warnings of single-value keys: for each
 * key and value, xl's accessor (xlu_cfg_get_long for numbers, else
 * xlu_cfg_get_string) prints what must open our messages.
 */
START_TEST(test_warnings_agree_with_libxlutil)
{
    static const char *const number_keys[] = {
        "memory", "maxmem", "vcpus", "maxvcpus",
    };
    static const char *const values[] = {
        "1", "'12'", "' 7'", "'7 '", "''", "'x'", "0x", "1e3", "'+3'",
        "99999999999999999999", "'-99999999999999999999'", "[1]", "[]",
        "[\n2\n]", "'1'\n%s+='2'", "[1]\n%s+=[2]", "'1'\n%s='z'",
        "'a'\n%s='3'",
    };

    for (size_t k = 0; k < 4; k++) {
        for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
            const char *key = number_keys[k];
            char value[64], text[256], *want = NULL;
            size_t want_len = 0;
            FILE *report = open_memstream(&want, &want_len);
            XLU_Config *oc = xlu_cfg_init(report, SOURCE);
            long l;
            struct run r;

            snprintf(value, sizeof(value), values[v], key);
            snprintf(text, sizeof(text), BASE "%s=%s\n", key, value);
            ck_assert_int_eq(xlu_cfg_readdata(oc, text, (int)strlen(text)),
                             0);
            xlu_cfg_get_long(oc, key, &l, 0);
            fflush(report);
            run(&r, text);
            ck_assert_msg(strncmp(r.msgs, want, strlen(want)) == 0,
                          "<<%s>>:\n got <<%s>>\nwant <<%s>>", text, r.msgs,
                          want);
            done(&r);
            xlu_cfg_destroy(oc);
            fclose(report);
            free(want);
        }
    }
}
END_TEST

START_TEST(test_string_warnings_agree_with_libxlutil)
{
    static const char *const keys[] = {
        "uuid", "ramdisk", "cmdline", "root", "extra", "on_poweroff",
        "on_reboot", "on_watchdog", "on_crash", "on_soft_reset",
    };

    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        char text[256], *want = NULL;
        size_t want_len = 0;
        FILE *report = open_memstream(&want, &want_len);
        XLU_Config *oc = xlu_cfg_init(report, SOURCE);
        const char *s;
        struct run r;

        snprintf(text, sizeof(text), BASE "\n%s=[\n'x'\n]\n", keys[k]);
        ck_assert_int_eq(xlu_cfg_readdata(oc, text, (int)strlen(text)), 0);
        ck_assert_int_ne(xlu_cfg_get_string(oc, keys[k], &s, 0), 0);
        fflush(report);
        ck_assert_str_ne(want, "");
        run(&r, text);
        ck_assert_int_eq(r.rc, 0);
        ck_assert_msg(strncmp(r.msgs, want, strlen(want)) == 0,
                      "<<%s>>:\n got <<%s>>\nwant <<%s>>", text, r.msgs,
                      want);
        done(&r);
        xlu_cfg_destroy(oc);
        fclose(report);
        free(want);
    }
}
END_TEST

START_TEST(test_vifs)
{
    struct run r;

    run_ok(&r, BASE "vif = [ 'mac=00:16:3e:0a:0B:0c,bridge=br1,mtu=9000', "
           "' bridge=xenbr2', '' ]\ndevices = 'noxs'\n");
    ck_assert_uint_eq(r.dc.n_vifs, 3);
    ck_assert(r.dc.vifs[0].mac_set);
    ck_assert_mem_eq(r.dc.vifs[0].mac,
                     ((const uint8_t[]){ 0, 0x16, 0x3e, 0x0a, 0x0b, 0x0c }), 6);
    ck_assert_str_eq(r.dc.vifs[0].bridge, "br1");
    ck_assert_uint_eq(r.dc.vifs[0].mtu, 9000);
    ck_assert(!r.dc.vifs[1].mac_set);
    ck_assert_str_eq(r.dc.vifs[1].bridge, "xenbr2");
    ck_assert_uint_eq(r.dc.vifs[1].mtu, 0);
    ck_assert_str_eq(r.dc.vifs[2].bridge, "xenbr0");
    ck_assert_int_eq(r.dc.devices, DOMCFG_DEVICES_NOXS);
    done(&r);

    run_ok(&r, BASE "devices='xenstore'\n");
    ck_assert_uint_eq(r.dc.n_vifs, 0);
    ck_assert_int_eq(r.dc.devices, DOMCFG_DEVICES_XENSTORE);
    done(&r);

    run(&r, BASE "vif=['ip=10.0.0.2,script=vif-bridge']\n");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_str_eq(r.msgs,
        "t.cfg:3: warning: ignoring vif key `ip': not supported by chaos\n"
        "t.cfg:3: warning: ignoring vif key `script': not supported by chaos\n");
    done(&r);
}
END_TEST

START_TEST(test_make_macs)
{
    struct run r;

    run_ok(&r, BASE "vif=['mac=00:16:3e:01:02:03', '', 'bridge=br1']\n");
    ck_assert_int_eq(domcfg_make_macs(&r.dc), 0);
    ck_assert_mem_eq(r.dc.vifs[0].mac,
                     ((const uint8_t[]){ 0, 0x16, 0x3e, 1, 2, 3 }), 6);
    for (unsigned i = 1; i < 3; i++) {
        ck_assert(r.dc.vifs[i].mac_set);
        ck_assert_mem_eq(r.dc.vifs[i].mac, ((const uint8_t[]){ 0, 0x16, 0x3e }),
                         3);
        ck_assert_uint_lt(r.dc.vifs[i].mac[3], 0x80);
    }
    done(&r);
}
END_TEST

static const struct msg_case vif_error_cases[] = {
    { BASE "vif=['mac=00:16:3e:0a:0b']\n", 1, "Invalid parameter `mac'.\n" },
    { BASE "vif=['mac=00:16:3e:0a:0b:100']\n", 1,
      "Invalid parameter `mac'.\n" },
    { BASE "vif=['mac=xx:16:3e:0a:0b:0c']\n", 1,
      "Invalid parameter `mac'.\n" },
    { BASE "vif=['mtu=67']\n", 1, "Invalid parameter `mtu'.\n" },
    { BASE "vif=['mtu=1500x']\n", 1, "Invalid parameter `mtu'.\n" },
    { BASE "vif=['bridge=a/b']\n", 1, "Invalid parameter `bridge'.\n" },
    { BASE "vif=['bridge=abcdefghijklmnop']\n", 1,
      "Invalid parameter `bridge'.\n" },
    { BASE "vif=['colour=red']\n", 1, "unrecognized argument `colour=red'\n" },
    { BASE "vif=['mac']\n", 1, "unrecognized argument `mac'\n" },
    { BASE "devices='magic'\n", 1,
      "t.cfg: devices = \"magic\": chaos knows \"noxs\" and \"xenstore\"\n" },
    { BASE "vif=['','','','','','','','','','','','','','','','','']\n", 1,
      "t.cfg:3: chaos gives a domain at most 16 vifs\n" },
    { BASE "vif='bridge=xenbr0'\n", 0,
      "t.cfg:3: warning: parameter `vif' is a single value but should be a "
      "list\n" },
};

START_TEST(test_vif_errors)
{
    const struct msg_case *c = &vif_error_cases[_i];
    struct run r;

    run(&r, c->cfg);
    ck_assert_msg(r.rc == c->rc, "<<%s>>: rc %d", c->cfg, r.rc);
    ck_assert_str_eq(r.msgs, c->msgs);
    if (c->rc)
        ck_assert(empty(&r.dc));
    done(&r);
}
END_TEST

Suite *domcfg_suite(void)
{
    Suite *s = suite_create("domcfg");
    TCase *tc = tcase_create("xl");

    tcase_add_loop_test(tc, test_messages_match_xl, 0,
                        (int)(sizeof(msg_cases) / sizeof(msg_cases[0])));
    tcase_add_test(tc, test_defaults);
    tcase_add_loop_test(tc, test_memory, 0,
                        (int)(sizeof(mem_cases) / sizeof(mem_cases[0])));
    tcase_add_test(tc, test_bad_numbers_are_absent);
    tcase_add_loop_test(tc, test_vcpus, 0,
                        (int)(sizeof(vcpu_cases) / sizeof(vcpu_cases[0])));
    tcase_add_loop_test(tc, test_type, 0,
                        (int)(sizeof(type_cases) / sizeof(type_cases[0])));
    tcase_add_test(tc, test_hvm_and_pvh_need_what_xl_needs);
    tcase_add_test(tc, test_names_are_not_validated);
    tcase_add_test(tc, test_uuid);
    tcase_add_test(tc, test_actions);
    tcase_add_test(tc, test_names_of_enums);
    tcase_add_loop_test(tc, test_kernel_ramdisk_cmdline, 0,
                        (int)(sizeof(boot_cases) / sizeof(boot_cases[0])));
    tcase_add_test(tc, test_command_line_settings_keep_xls_lines);
    tcase_add_test(tc, test_dispose_is_idempotent);
    tcase_add_test(tc, test_vifs);
    tcase_add_test(tc, test_make_macs);
    tcase_add_loop_test(tc, test_vif_errors, 0,
                        (int)(sizeof(vif_error_cases) /
                              sizeof(vif_error_cases[0])));
    suite_add_tcase(s, tc);
    tc = tcase_create("libxlutil");
    tcase_add_test(tc, test_warnings_agree_with_libxlutil);
    tcase_add_test(tc, test_string_warnings_agree_with_libxlutil);
    suite_add_tcase(s, tc);
    return s;
}
