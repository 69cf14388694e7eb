/*
 * vifevent: uevent classification. See vifevent.h.
 */
#include "vifevent.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "netdev.h"

/* Parses a decimal number at *P up to MAX, advancing *P; 0 or -1. */
static int number(const char **p, unsigned long max, unsigned *out)
{
    const char *s = *p;
    unsigned long v = 0;

    if (*s < '0' || *s > '9')
        return -1;
    if (*s == '0' && s[1] >= '0' && s[1] <= '9')
        return -1;
    for (; *s >= '0' && *s <= '9'; s++) {
        v = v * 10 + (unsigned long)(*s - '0');
        if (v > max)
            return -1;
    }
    *out = (unsigned)v;
    *p = s;
    return 0;
}

/* NAME is PREFIX, domid, SEP, devid and nothing more. */
static int parse_name(const char *name, const char *prefix, char sep,
                      unsigned *domid, unsigned *devid)
{
    const char *p = name;
    size_t n = strlen(prefix);

    if (strncmp(p, prefix, n) != 0)
        return -1;
    p += n;
    if (number(&p, VIF_DOMID_MAX, domid) < 0 || *p++ != sep ||
        number(&p, INT_MAX, devid) < 0 || *p)
        return -1;
    return 0;
}

int vif_parse_tap_name(const char *name, unsigned *domid, unsigned *devid)
{
    return parse_name(name, "vif", '.', domid, devid);
}

/* The script's last path component is VIF_OUR_SCRIPT, or there is none
 * (a toolstack that runs no script). Any other script, vif-bridge too,
 * does the work itself. */
static int script_is_ours(const char *script)
{
    const char *base;

    if (!script || !*script)
        return 1;
    base = strrchr(script, '/');
    base = base ? base + 1 : script;
    return strcmp(base, VIF_OUR_SCRIPT) == 0;
}

/* The op of ACTION: ON_ACTION online, OFF_ACTION offline, else ignored. */
static enum vif_op op_of(const char *action, const char *on_action,
                         const char *off_action)
{
    if (!strcmp(action, on_action))
        return VIF_ONLINE;
    if (!strcmp(action, off_action))
        return VIF_OFFLINE;
    return VIF_IGNORE;
}

/* Both return NULL with OUT filled in, or why the event is ignored. */
static const char *classify_xenstore(const struct vif_uevent *u,
                                     struct vif_event *out)
{
    char want[VIF_PATH_MAX];

    out->source = VIF_XENSTORE;
    if (parse_name(u->sysname, "vif-", '-', &out->domid, &out->devid) < 0)
        return "not a vif backend";
    out->op = op_of(u->action, "online", "offline");
    if (out->op == VIF_IGNORE)
        return "an action xendevd has nothing to do for";
    if (!script_is_ours(u->script))
        return "its backend asks for another hotplug script";
    snprintf(want, sizeof(want), "backend/vif/%u/%u", out->domid,
             out->devid);
    if (!u->xenbus_path || strcmp(u->xenbus_path, want) != 0)
        return "XENBUS_PATH is missing or names another device";
    memcpy(out->path, want, sizeof(want));
    if (!u->vif || !netdev_name_ok(u->vif))
        return "netback names no valid interface (vif=)";
    snprintf(out->ifname, sizeof(out->ifname), "%s", u->vif);
    return NULL;
}

static const char *classify_tap(const struct vif_uevent *u,
                                struct vif_event *out)
{
    out->source = VIF_TAP;
    if (vif_parse_tap_name(u->sysname, &out->domid, &out->devid) < 0)
        return "not named vifDOMID.DEVID";
    out->op = op_of(u->action, "add", "remove");
    if (out->op == VIF_IGNORE)
        return "an action xendevd has nothing to do for";
    snprintf(out->ifname, sizeof(out->ifname), "%s", u->sysname);
    return NULL;
}

void vif_event_classify(const struct vif_uevent *u, struct vif_event *out)
{
    const char *why;

    memset(out, 0, sizeof(*out));
    if (!u->action || !u->subsystem || !u->sysname)
        why = "an incomplete event";
    else if (!strcmp(u->subsystem, "xen-backend"))
        why = classify_xenstore(u, out);
    else if (!strcmp(u->subsystem, "net"))
        why = classify_tap(u, out);
    else
        why = "not a xen-backend or net device";
    if (why) {
        out->op = VIF_IGNORE;
        out->why = why;
    }
}
