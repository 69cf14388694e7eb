/*
 * domcfg: the domain configuration chaos builds from a parsed xl.cfg, read
 * the way Xen 4.17 xl's parse_config_data reads the keys chaos supports
 * (XL-COMPAT.md section 3), with xl's messages, order of checks and the
 * defaults xl and libxl fill in.
 */
#ifndef CHAOS_DOMCFG_H
#define CHAOS_DOMCFG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "xlcfg.h"

enum domcfg_type { DOMCFG_PV, DOMCFG_PVH, DOMCFG_HVM };

enum domcfg_action {
    DOMCFG_DESTROY, DOMCFG_RESTART, DOMCFG_RENAME_RESTART, DOMCFG_PRESERVE,
    DOMCFG_COREDUMP_DESTROY, DOMCFG_COREDUMP_RESTART, DOMCFG_SOFT_RESET,
};

/* Most vifs a domain may have (xl has no limit; the NOXS device page 64). */
#define DOMCFG_MAX_VIFS 16

/* One vif = [ '...' ] item: the keys chaos acts on. */
struct domcfg_vif {
    uint8_t mac[6];
    bool mac_set;               /* false: chaos makes one, 00:16:3e:xx:xx:xx */
    char bridge[16];            /* libxl's default: "xenbr0" */
    unsigned int mtu;           /* 0: the bridge's */
};

/* How a domain's devices are described to it (devices = "..."). */
enum domcfg_devices {
    DOMCFG_DEVICES_DEFAULT,     /* not given: the toolstack's choice */
    DOMCFG_DEVICES_NOXS,        /* NOXS device page and noxsd */
    DOMCFG_DEVICES_XENSTORE,    /* XenStore and the kernel's backends */
};

struct domcfg {
    char *name;                 /* never NULL after success; may be "" */
    uint8_t uuid[16];
    bool uuid_set;              /* false: the caller picks a random one */
    enum domcfg_type type;
    char *kernel;               /* NULL when absent; "" is kept as "" */
    char *ramdisk;              /* NULL when absent or "" */
    char *cmdline;              /* NULL when there is none */
    uint64_t target_kb, max_kb;
    /*
     * VCPUS is the number online at boot (vcpus 0..VCPUS-1); it is 0 only
     * for an explicit vcpus=0, which xl passes on as an empty online set.
     * MAX_VCPUS >= 1 always, and >= VCPUS.
     */
    unsigned int vcpus, max_vcpus;
    enum domcfg_action on_poweroff, on_reboot, on_crash, on_watchdog,
                       on_soft_reset;
    struct domcfg_vif vifs[DOMCFG_MAX_VIFS];
    unsigned int n_vifs;
    enum domcfg_devices devices;
};

/* Makes DC empty (no strings), safe to dispose of. */
void domcfg_init(struct domcfg *dc);

/* Frees DC's strings and makes it empty again; idempotent. */
void domcfg_dispose(struct domcfg *dc);

/*
 * Fills DC, which must be empty, from CFG, parsed from the file xl would
 * call SOURCE. Messages go to MSGS (xl's stderr), in xl's order:
 *
 *  - xl's own warnings, each exactly as xl prints it: libxlutil's
 *    "SOURCE:LINE: warning: parameter `KEY' ..." family for values of the
 *    wrong kind or bad numbers (the key then counts as absent), the
 *    root=/extra= versus cmdline= warning, and for HVM the hvmloader
 *    "kernel" warning;
 *  - at most one of xl's errors (invalid type or builder, contradicting
 *    builder and type, missing name, bad UUID, negative vcpus, maxvcpus <
 *    vcpus, unknown on_* action, no kernel for PV/PVH, a bad vif item),
 *    or one of chaos's own (more than DOMCFG_MAX_VIFS vifs, an unknown
 *    devices = value);
 *  - for each vif key chaos reads but does not act on (ip, script, ...):
 *    "SOURCE:LINE: warning: ignoring vif key `KEY': not supported by
 *    chaos";
 *  - on success only, after everything xl prints, one line per key present
 *    in CFG that chaos does not read:
 *    "SOURCE:LINE: warning: ignoring `KEY': not supported by chaos", in the
 *    order of, and with the line of, each key's setting in force. The one
 *    exception: when the config fails only for lack of a kernel while
 *    `bootloader' or `firmware' is set (xl would have accepted it), those
 *    two keys' lines come just before the error.
 *
 * So on failure MSGS gets byte for byte what xl prints for the same file,
 * save that exception. Returns 0; 1 (xl's exit status) after an error
 * message, leaving DC empty; or -ENOMEM, leaving DC empty.
 */
int domcfg_from_xlcfg(struct domcfg *dc, const struct xlcfg *cfg,
                      const char *source, FILE *msgs);

/* Gives every vif of DC without a MAC one as libxl does: 00:16:3e and
 * three random bytes, the first of them below 0x80. 0 or an errno value. */
int domcfg_make_macs(struct domcfg *dc);

/* xl's spelling in config files and logs: "destroy", "rename-restart", ... */
const char *domcfg_action_name(enum domcfg_action a);

/* UUID as 8-4-4-4-12 lowercase hex, NUL-terminated, in BUF. */
void domcfg_uuid_string(const uint8_t uuid[16], char buf[37]);

/* "pv", "pvh" or "hvm". */
const char *domcfg_type_name(enum domcfg_type t);

#endif
