/*
 * noxsdev: a domain's NOXS devices from the toolstack's side. See
 * noxsdev.h.
 */
#include "noxsdev.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <xenforeignmemory.h>

#include "../libnoxs/devpage.h"
#include "../noxs/noxsd_proto.h"

#define DEFAULT_SOCKET "/run/chaos/noxsd.sock"
#define REPLY_TIMEOUT_S 10

static const char *socket_path(void)
{
    const char *p = getenv("CHAOS_NOXSD_SOCKET");

    return p && *p ? p : DEFAULT_SOCKET;
}

bool noxsdev_wanted(const struct domcfg *dc)
{
    return dc->n_vifs > 0 && dc->devices != DOMCFG_DEVICES_XENSTORE;
}

/* Connects to noxsd. Returns the socket, or -1 with errno. */
static int connect_noxsd(void)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct timeval tv = { .tv_sec = REPLY_TIMEOUT_S };
    const char *path = socket_path();
    int fd, e;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
        connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* Sends request TYPE with BODY and reads the answer into *R. Returns 0,
 * or -1 with errno (EPROTO for an answer that is not one). */
static int call(int fd, uint16_t type, const void *body, uint32_t len,
                struct noxsd_reply *r)
{
    static uint32_t seq;
    unsigned char msg[sizeof(struct noxsd_hdr) + 64];
    struct {
        struct noxsd_hdr h;
        struct noxsd_reply r;
    } in;
    struct noxsd_hdr h = { .magic = NOXSD_MAGIC, .version = NOXSD_VERSION,
                           .type = type, .seq = ++seq, .len = len };
    ssize_t n;

    memcpy(msg, &h, sizeof(h));
    memcpy(msg + sizeof(h), body, len);
    if (send(fd, msg, sizeof(h) + len, MSG_NOSIGNAL) < 0)
        return -1;
    n = recv(fd, &in, sizeof(in), 0);
    if (n < 0)
        return -1;
    if (n != (ssize_t)sizeof(in) || in.h.magic != NOXSD_MAGIC ||
        in.h.type != NOXSD_REPLY || in.h.seq != h.seq ||
        in.h.len != sizeof(in.r)) {
        errno = EPROTO;
        return -1;
    }
    in.r.text[sizeof(in.r.text) - 1] = '\0';
    *r = in.r;
    return 0;
}

static int remove_on(int fd, uint32_t domid, struct noxsd_reply *r)
{
    struct noxsd_domain d = { .domid = domid };

    return call(fd, NOXSD_DOMAIN_REMOVE, &d, sizeof(d), r);
}

/* Writes the device page of DOMID: its store page, mapped for the write. */
static int write_page(uint32_t domid, uint64_t store_mfn,
                      const struct noxs_devlist *list)
{
    xenforeignmemory_handle *fmem = xenforeignmemory_open(NULL, 0);
    xen_pfn_t frame = (xen_pfn_t)store_mfn;
    void *page;
    int e = 0;

    if (!fmem)
        return errno;
    page = xenforeignmemory_map(fmem, domid, PROT_READ | PROT_WRITE, 1,
                                &frame, NULL);
    if (!page) {
        e = errno;
    } else {
        noxs_devpage_write(page, list, 2);
        xenforeignmemory_unmap(fmem, page, 1);
    }
    xenforeignmemory_close(fmem);
    return e;
}

int noxsdev_setup(xc_interface *xch, const struct domcfg *dc,
                  const struct build_result *br, FILE *err)
{
    static struct noxs_devlist list;
    struct noxsd_reply r;
    int fd, rc = -1, e;
    bool added = false;

    list.n = 0;
    fd = connect_noxsd();
    if (fd < 0) {
        fprintf(err, "chaos: domain %u (%s): cannot reach noxsd at %s: %s; "
                "start noxsd (it serves the vifs of devices = \"noxs\")\n",
                br->domid, dc->name, socket_path(), strerror(errno));
        return -1;
    }
    for (unsigned i = 0; i < dc->n_vifs; i++) {
        const struct domcfg_vif *v = &dc->vifs[i];
        struct noxsd_vif_add a = { .domid = br->domid, .devid = i,
                                   .mtu = (uint16_t)v->mtu };
        struct noxs_dev_entry *ent = &list.devs[list.n];
        int port;

        memcpy(a.mac, v->mac, sizeof(a.mac));
        memcpy(a.bridge, v->bridge, strlen(v->bridge));
        port = xc_evtchn_alloc_unbound(xch, br->domid, 0);
        if (port < 0) {
            fprintf(err, "chaos: domain %u (%s): vif %u: cannot allocate an "
                    "event channel: %s\n", br->domid, dc->name, i,
                    strerror(errno));
            goto out;
        }
        a.guest_port = (uint32_t)port;
        added = true;
        if (call(fd, NOXSD_VIF_ADD, &a, sizeof(a), &r) < 0) {
            fprintf(err, "chaos: domain %u (%s): vif %u: noxsd did not "
                    "answer: %s\n", br->domid, dc->name, i, strerror(errno));
            goto out;
        }
        if (r.status) {
            fprintf(err, "chaos: domain %u (%s): vif %u: %s\n", br->domid,
                    dc->name, i, r.text);
            goto out;
        }
        memset(ent, 0, sizeof(*ent));
        ent->type = NOXS_DEV_VIF;
        ent->backend_domid = r.backend_domid;
        ent->devid = i;
        ent->ctrl_gref = r.ctrl_gref;
        ent->evtchn = (uint32_t)port;
        memcpy(ent->mac, a.mac, sizeof(ent->mac));
        ent->mtu = a.mtu;
        list.n++;
    }
    e = write_page(br->domid, br->store_mfn, &list);
    if (e) {
        fprintf(err, "chaos: domain %u (%s): cannot write its device page: "
                "%s\n", br->domid, dc->name, strerror(e));
        goto out;
    }
    rc = 0;
out:
    if (rc && added)
        remove_on(fd, br->domid, &r);
    close(fd);
    return rc;
}

int noxsdev_remove(uint32_t domid, FILE *err)
{
    struct noxsd_reply r;
    struct stat st;
    int fd, rc;

    if (stat(socket_path(), &st) < 0)
        return 0;
    fd = connect_noxsd();
    if (fd < 0) {
        if (errno == ECONNREFUSED || errno == ENOENT)
            return 0;                   /* no noxsd: nothing it serves */
        fprintf(err, "chaos: domain %u: cannot reach noxsd to remove its "
                "devices: %s\n", domid, strerror(errno));
        return -1;
    }
    rc = remove_on(fd, domid, &r);
    if (rc < 0)
        fprintf(err, "chaos: domain %u: noxsd did not answer the removal of "
                "its devices: %s\n", domid, strerror(errno));
    close(fd);
    return rc;
}
