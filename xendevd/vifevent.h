/*
 * vifevent: which kernel uevents are xendevd's, and what they ask for.
 *
 * Two kinds of vif are xendevd's:
 *  - XenStore vifs: Linux netback's backend devices, subsystem
 *    "xen-backend", named vif-DOMID-DEVID, whose backend names
 *    VIF_OUR_SCRIPT or no script as its hotplug script (a vif whose
 *    backend names vif-bridge or another script is that script's).
 *    "online" attaches the interface netback names in vif=, "offline"
 *    detaches it.
 *  - TAP vifs: TAP interfaces named vifDOMID.DEVID (subsystem "net"),
 *    made by chaos's NOXS backend. "add" attaches, "remove" reports.
 *    Whether an interface of that name is a TAP with a description is for
 *    the caller to check (see tapconf.h).
 * Everything else is ignored, with the reason.
 */
#ifndef XENDEVD_VIFEVENT_H
#define XENDEVD_VIFEVENT_H

#include <net/if.h>

/* "backend/vif/" + two 10-digit numbers + '/' + NUL, rounded up */
#define VIF_PATH_MAX 48
/* The highest domid a guest can have (DOMID_FIRST_RESERVED - 1). */
#define VIF_DOMID_MAX 0x7fefu
/* The hook libxl runs as the vif's script when xendevd does the work. */
#define VIF_OUR_SCRIPT "vif-xendevd"

enum vif_op { VIF_IGNORE, VIF_ONLINE, VIF_OFFLINE };
enum vif_source { VIF_XENSTORE = 1, VIF_TAP };

/* The parts of a uevent that matter; absent properties are NULL. */
struct vif_uevent {
    const char *action;
    const char *subsystem;
    const char *sysname;
    const char *xenbus_path;            /* XENBUS_PATH */
    const char *vif;                    /* vif=, netback's interface */
    const char *script;                 /* script=, the backend's script */
};

struct vif_event {
    enum vif_op op;
    enum vif_source source;
    unsigned domid, devid;
    char ifname[IFNAMSIZ];
    char path[VIF_PATH_MAX];            /* XenStore vifs: backend path */
    const char *why;                    /* VIF_IGNORE: a static reason */
};

/* vif_event_classify: fills OUT from U. Every field of U is checked:
 * names are parsed strictly (decimal, no sign, no leading zero), domids
 * above VIF_DOMID_MAX are refused, XENBUS_PATH must name the same device
 * and vif= must be a valid interface name. */
void vif_event_classify(const struct vif_uevent *u, struct vif_event *out);

/* vif_parse_tap_name: NAME is "vifDOMID.DEVID"; 0 or -1. */
int vif_parse_tap_name(const char *name, unsigned *domid, unsigned *devid);

#endif
