/*
 * vif: one NOXS vif as noxsd serves it. See vif.h.
 */
#include "vif.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ctrl.h"

#define BE_FEATURES NOXS_VIF_RX_COPY

static void say_why(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say_why(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
}

static void set_be_state(const struct vif_env *env, struct vif *v,
                         uint32_t state)
{
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&v->ctrl->be.state, state, __ATOMIC_RELAXED);
    xenevtchn_notify(env->xce, v->port);
}

static void unmap_rings(const struct vif_env *env, struct vif *v)
{
    if (v->tx_page)
        xengnttab_unmap(env->xgt, v->tx_page, 1);
    if (v->rx_page)
        xengnttab_unmap(env->xgt, v->rx_page, 1);
    v->tx_page = v->rx_page = NULL;
}

/* Stops serving V for good, saying why: its guest broke the protocol. */
static void cut_off(const struct vif_env *env, struct vif *v, const char *why)
{
    env->log("noxsd: %s (domain %u, vif %u) cut off: %s\n", v->ifname,
             v->domid, v->devid, why);
    unmap_rings(env, v);
    v->cut_off = true;
    v->rx_waiting = false;
    set_be_state(env, v, NOXS_STATE_CLOSED);
}

/* Writes xendevd's description of the TAP, atomically. */
static int describe_tap(const struct vif_env *env, const struct vif *v,
                        const char *bridge, unsigned mtu)
{
    char path[256], tmp[264], text[64];
    int fd, n, e = 0;

    n = snprintf(text, sizeof(text), "bridge=%s\n", bridge);
    if (mtu)
        n += snprintf(text + n, sizeof(text) - (size_t)n, "mtu=%u\n", mtu);
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", env->run_dir,
                         v->ifname) >= sizeof(path))
        return ENAMETOOLONG;
    snprintf(tmp, sizeof(tmp), "%s.new", path);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return errno;
    if (write(fd, text, (size_t)n) != n)
        e = errno ? errno : EIO;
    if (close(fd) < 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) < 0)
        e = errno;
    if (e)
        unlink(tmp);
    return e;
}

static void forget_tap(const struct vif_env *env, const struct vif *v)
{
    char path[256];

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", env->run_dir,
                         v->ifname) < sizeof(path))
        unlink(path);
}

static int make_tap(struct vif *v)
{
    struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };

    v->tap = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (v->tap < 0)
        return errno;
    memcpy(ifr.ifr_name, v->ifname, sizeof(v->ifname));
    if (ioctl(v->tap, TUNSETIFF, &ifr) < 0) {
        int e = errno;

        close(v->tap);
        v->tap = -1;
        return e;
    }
    return 0;
}

struct vif *vif_add(const struct vif_env *env, uint32_t domid, uint32_t devid,
                    uint32_t guest_port, const char *bridge, unsigned mtu,
                    int *err, char *why, size_t why_len)
{
    struct vif *v = calloc(1, sizeof(*v));
    xenevtchn_port_or_error_t port;
    bool described = false;

    if (!v) {
        *err = ENOMEM;
        say_why(why, why_len, "out of memory");
        return NULL;
    }
    v->domid = domid;
    v->devid = devid;
    v->tap = -1;
    v->port = 0;
    if ((size_t)snprintf(v->ifname, sizeof(v->ifname), "vif%u.%u", domid,
                         devid) >= sizeof(v->ifname)) {
        *err = EINVAL;
        say_why(why, why_len, "vif%u.%u is too long a name", domid, devid);
        goto fail;
    }
    port = xenevtchn_bind_interdomain(env->xce, domid, guest_port);
    if (port < 0) {
        *err = errno;
        say_why(why, why_len, "cannot bind event channel %u of domain %u: %s "
                "(is it unbound, for dom0?)", guest_port, domid,
                strerror(errno));
        goto fail;
    }
    v->port = (evtchn_port_t)port;
    v->ctrl = xengntshr_share_pages(env->xgs, domid, 1, &v->ctrl_gref, 1);
    if (!v->ctrl) {
        *err = errno;
        say_why(why, why_len, "cannot share a control page with domain %u: %s",
                domid, strerror(errno));
        goto fail;
    }
    memset(v->ctrl, 0, NOXS_PAGE_SIZE);
    memcpy(v->ctrl->be.magic, NOXS_CTRL_MAGIC, sizeof(v->ctrl->be.magic));
    v->ctrl->be.version = NOXS_VERSION;
    v->ctrl->be.type = NOXS_DEV_VIF;
    v->ctrl->be.devid = devid;
    v->ctrl->be.features = BE_FEATURES;
    *err = describe_tap(env, v, bridge, mtu);
    if (*err) {
        say_why(why, why_len, "cannot describe %s in %s: %s", v->ifname,
                env->run_dir, strerror(*err));
        goto fail;
    }
    described = true;
    *err = make_tap(v);
    if (*err) {
        say_why(why, why_len, "cannot make the TAP %s: %s", v->ifname,
                strerror(*err));
        goto fail;
    }
    set_be_state(env, v, NOXS_STATE_INIT_WAIT);
    return v;
fail:
    if (described)
        forget_tap(env, v);
    if (v->ctrl)
        xengntshr_unshare(env->xgs, v->ctrl, 1);
    if (v->port)
        xenevtchn_unbind(env->xce, v->port);
    free(v);
    return NULL;
}

void vif_remove(const struct vif_env *env, struct vif *v)
{
    env->log("noxsd: %s removed: %lu frames from the guest (%lu refused, "
             "%lu dropped by the TAP), %lu to it (%lu lost)\n", v->ifname,
             v->tx_frames, v->tx_errors, v->tx_dropped, v->rx_frames,
             v->rx_dropped);
    unmap_rings(env, v);
    if (v->tap >= 0)
        close(v->tap);
    forget_tap(env, v);
    xengntshr_unshare(env->xgs, v->ctrl, 1);
    xenevtchn_unbind(env->xce, v->port);
    free(v);
}

/* Maps the rings the guest offers in FE. Returns 0 or an errno value. */
static int map_rings(const struct vif_env *env, struct vif *v,
                     const struct noxs_ctrl_fe *fe)
{
    v->tx_page = xengnttab_map_grant_ref(env->xgt, v->domid, fe->tx_ring_gref,
                                         PROT_READ | PROT_WRITE);
    if (v->tx_page)
        v->rx_page = xengnttab_map_grant_ref(env->xgt, v->domid,
                                             fe->rx_ring_gref,
                                             PROT_READ | PROT_WRITE);
    if (!v->rx_page) {
        int e = errno;

        unmap_rings(env, v);
        return e;
    }
    netback_tx_init(&v->tx, v->tx_page);
    netback_rx_init(&v->rx, v->rx_page);
    return 0;
}

/* A failed grant copy: counted, and too many in a row cut V off. */
static bool copy_failed(const struct vif_env *env, struct vif *v)
{
    if (++v->bad_copies < VIF_BAD_COPY_LIMIT)
        return false;
    cut_off(env, v, "too many grant copies failed in a row (bad grant "
            "references)");
    return true;
}

/* Sends the guest's frames to the TAP. False when V was cut off. */
static bool tx_pass(const struct vif_env *env, struct vif *v)
{
    static unsigned char bufs[VIF_BUDGET][NETBACK_PAGE_SIZE];
    struct netback_tx reqs[VIF_BUDGET];
    xengnttab_grant_copy_segment_t segs[VIF_BUDGET];
    unsigned int n_segs = 0, seg_of[VIF_BUDGET];
    const char *why;
    int n = netback_tx_take(&v->tx, reqs, VIF_BUDGET, &why);

    if (n < 0) {
        cut_off(env, v, why);
        return false;
    }
    for (int i = 0; i < n; i++) {
        if (reqs[i].bad) {
            seg_of[i] = VIF_BUDGET;
            continue;
        }
        seg_of[i] = n_segs;
        segs[n_segs] = (xengnttab_grant_copy_segment_t){
            .source.foreign = { .ref = reqs[i].req.gref,
                                .offset = reqs[i].req.offset,
                                .domid = (uint16_t)v->domid },
            .dest.virt = bufs[n_segs],
            .len = reqs[i].req.size,
            .flags = GNTCOPY_source_gref,
        };
        n_segs++;
    }
    if (n_segs && xengnttab_grant_copy(env->xgt, n_segs, segs) < 0)
        for (unsigned int s = 0; s < n_segs; s++)
            segs[s].status = GNTST_general_error;
    for (int i = 0; i < n; i++) {
        int16_t status = NETIF_RSP_ERROR;

        if (seg_of[i] == VIF_BUDGET) {
            v->tx_errors++;
        } else if (segs[seg_of[i]].status != GNTST_okay) {
            v->tx_errors++;
            if (copy_failed(env, v))
                return false;
        } else {
            v->bad_copies = 0;
            status = NETIF_RSP_OKAY;
            /* A full TAP queue drops the frame, as a busy wire would. */
            if (write(v->tap, bufs[seg_of[i]], reqs[i].req.size) < 0)
                v->tx_dropped++;
            else
                v->tx_frames++;
        }
        netback_tx_answer(&v->tx, reqs[i].req.id, status);
    }
    if (netback_tx_push(&v->tx))
        xenevtchn_notify(env->xce, v->port);
    return true;
}

/* Copies the frame held in V into the guest's next RX buffer, if it
 * posted one. Returns 1 when delivered, 0 when it has none, -1 when V was
 * cut off. */
static int deliver(const struct vif_env *env, struct vif *v)
{
    netif_rx_request_t rq;
    xengnttab_grant_copy_segment_t seg;
    const char *why;
    int r = netback_rx_take(&v->rx, &rq, &why);

    if (r < 0) {
        cut_off(env, v, why);
        return -1;
    }
    if (r == 0)
        return 0;
    seg = (xengnttab_grant_copy_segment_t){
        .source.virt = v->rx_buf,
        .dest.foreign = { .ref = rq.gref, .offset = 0,
                          .domid = (uint16_t)v->domid },
        .len = v->rx_len,
        .flags = GNTCOPY_dest_gref,
    };
    if (xengnttab_grant_copy(env->xgt, 1, &seg) < 0 ||
        seg.status != GNTST_okay) {
        v->rx_dropped++;
        netback_rx_answer(&v->rx, rq.id, NETIF_RSP_ERROR);
        if (copy_failed(env, v))
            return -1;
    } else {
        v->bad_copies = 0;
        v->rx_frames++;
        netback_rx_answer(&v->rx, rq.id, (int16_t)v->rx_len);
    }
    v->rx_waiting = false;
    return 1;
}

/* Moves frames from the TAP to the guest while it has buffers. */
static void rx_pass(const struct vif_env *env, struct vif *v)
{
    for (unsigned int i = 0; i < VIF_BUDGET && !v->cut_off; i++) {
        int r;

        if (!v->rx_waiting) {
            ssize_t len = read(v->tap, v->rx_buf, sizeof(v->rx_buf));

            if (len < NETBACK_MIN_FRAME)
                break;                  /* nothing more (or a runt) */
            v->rx_len = (uint16_t)len;
            v->rx_waiting = true;
        }
        r = deliver(env, v);
        if (r < 0)
            return;
        /* No buffer: the guest's next event resumes, unless it posted
         * one meanwhile (then the next round takes it). */
        if (r == 0 && !netback_rx_more(&v->rx))
            break;
    }
    if (!v->cut_off && netback_rx_push(&v->rx))
        xenevtchn_notify(env->xce, v->port);
}

void vif_event(const struct vif_env *env, struct vif *v)
{
    struct noxs_ctrl_fe fe;
    const char *why;
    int e;

    v->again = false;
    if (v->cut_off)
        return;
    noxs_ctrl_fe_copy(v->ctrl, &fe);
    if (fe.state != v->fe_state) {
        if (noxs_ctrl_fe_check(&fe, v->fe_state, BE_FEATURES, &why) < 0) {
            cut_off(env, v, why);
            return;
        }
        v->fe_state = fe.state;
        if (fe.state == NOXS_STATE_CLOSING || fe.state == NOXS_STATE_CLOSED) {
            unmap_rings(env, v);
            v->rx_waiting = false;
            set_be_state(env, v, NOXS_STATE_CLOSED);
            return;
        }
        if (fe.state == NOXS_STATE_INITIALISED && !v->tx_page) {
            e = map_rings(env, v, &fe);
            if (e) {
                char text[160];

                snprintf(text, sizeof(text), "cannot map its rings (grant "
                         "references %u and %u): %s", fe.tx_ring_gref,
                         fe.rx_ring_gref, strerror(e));
                cut_off(env, v, text);
                return;
            }
            set_be_state(env, v, NOXS_STATE_CONNECTED);
        }
    }
    if (!v->tx_page)
        return;
    if (!tx_pass(env, v))
        return;
    rx_pass(env, v);
    /* Requests left after one budget's worth: another turn soon, after
     * the other vifs'. Only an empty ring re-arms the guest's events. */
    if (!v->cut_off && netback_tx_more(&v->tx))
        v->again = true;
}

void vif_tap_ready(const struct vif_env *env, struct vif *v)
{
    if (v->tx_page && !v->cut_off)
        rx_pass(env, v);
}

bool vif_wants_tap(const struct vif *v)
{
    return v->tx_page && !v->cut_off && !v->rx_waiting;
}
