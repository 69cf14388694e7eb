/*
 * netfront.c: vif 0's frontend, declared in netfront.h.
 */
#include "barrier.h"
#include "devpage.h"
#include "events.h"
#include "gnttab.h"
#include "lib.h"
#include "mm.h"
#include "netfront.h"
#include "schedop.h"
#include "time.h"
#include "xenbus.h"

/* io/ring.h wants these from its includer. */
#define xen_mb()  mb()
#define xen_rmb() rmb()
#define xen_wmb() wmb()
#include <xen/io/netif.h>
#include <xen/io/xenbus.h>

#define NR_RX 64                /* receive buffers kept posted */
#define NR_TX 32                /* frames in flight at most */
#define TX_RING_SIZE __CONST_RING_SIZE(netif_tx, XEN_PAGE_SIZE)
#define RX_RING_SIZE __CONST_RING_SIZE(netif_rx, XEN_PAGE_SIZE)
#define MIN_FRAME 60            /* Ethernet minimum, without the FCS */

_Static_assert(NR_RX <= RX_RING_SIZE && NR_TX <= TX_RING_SIZE,
               "buffers fit the rings");

typedef char page_t[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));

static page_t tx_ring_page, rx_ring_page, ctrl_area;
static page_t rx_bufs[NR_RX], tx_bufs[NR_TX];
static grant_ref_t rx_refs[NR_RX], tx_refs[NR_TX];
static netif_tx_front_ring_t tx;
static netif_rx_front_ring_t rx;
static uint16_t tx_free[NR_TX];
static unsigned int n_tx_free;
static bool tx_busy[NR_TX];
static evtchn_port_t port;
static uint8_t mac[6];
static bool noxs;                       /* connected through NOXS */
static struct noxs_ctrl_page *ctrl;     /* NOXS: the mapped control page */

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parses "xx:xx:xx:xx:xx:xx". Returns 0 or -XEN_EINVAL. */
static int parse_mac(const char *s, uint8_t out[6])
{
    for (int i = 0; i < 6; i++) {
        int hi = hex_digit(s[0]), lo = hi < 0 ? -1 : hex_digit(s[1]);

        if (lo < 0 || s[2] != (i == 5 ? '\0' : ':'))
            return -XEN_EINVAL;
        out[i] = (uint8_t)(hi << 4 | lo);
        s += 3;
    }
    return 0;
}

static bool backend_ready(unsigned long state)
{
    return state == XenbusStateInitWait || state == XenbusStateConnected;
}

static bool backend_connected(unsigned long state)
{
    /* Closing or Closed also end the wait: the backend gave up. */
    return state >= XenbusStateConnected;
}

static void post_rx(uint16_t id)
{
    netif_rx_request_t *req = RING_GET_REQUEST(&rx, rx.req_prod_pvt);

    req->id = id;
    req->gref = rx_refs[id];
    rx.req_prod_pvt++;
}

static void push_rx(void)
{
    int notify;

    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&rx, notify);
    if (notify)
        evtchn_send(port);
}

/* Grants our buffers and rings to BACKEND. */
static int grant_pages(domid_t backend, grant_ref_t *tx_ring_ref,
                       grant_ref_t *rx_ring_ref)
{
    int rc;

    rc = gnttab_grant_access(backend, virt_to_mfn(tx_ring_page), false,
                             tx_ring_ref);
    if (rc == 0)
        rc = gnttab_grant_access(backend, virt_to_mfn(rx_ring_page), false,
                                 rx_ring_ref);
    for (unsigned int i = 0; rc == 0 && i < NR_RX; i++)
        rc = gnttab_grant_access(backend, virt_to_mfn(rx_bufs[i]), false,
                                 &rx_refs[i]);
    for (unsigned int i = 0; rc == 0 && i < NR_TX; i++) {
        rc = gnttab_grant_access(backend, virt_to_mfn(tx_bufs[i]), true,
                                 &tx_refs[i]);
        tx_free[i] = (uint16_t)(NR_TX - 1 - i);
    }
    n_tx_free = NR_TX;
    return rc;
}

/* Sets up our halves of both rings and grants them and the buffers. */
static int make_rings(domid_t backend, grant_ref_t *tx_ring_ref,
                      grant_ref_t *rx_ring_ref)
{
    SHARED_RING_INIT((netif_tx_sring_t *)tx_ring_page);
    FRONT_RING_INIT(&tx, (netif_tx_sring_t *)tx_ring_page, XEN_PAGE_SIZE);
    SHARED_RING_INIT((netif_rx_sring_t *)rx_ring_page);
    FRONT_RING_INIT(&rx, (netif_rx_sring_t *)rx_ring_page, XEN_PAGE_SIZE);
    return grant_pages(backend, tx_ring_ref, rx_ring_ref);
}

#define STEP(s, call) do { *what = (s); rc = (call); if (rc) return rc; } while (0)

/* Connects vif 0 through XenStore, as Linux's netfront does. */
static int connect_xenbus(const start_info_t *si, const char **what)
{
    static const char *const zero_is_enough[] = {
        "feature-sg", "feature-gso-tcpv4", "feature-gso-tcpv6",
    };
    char backend[96], path[128], macs[24];
    unsigned long backend_id, state;
    grant_ref_t tx_ring_ref, rx_ring_ref;
    int rc;

    STEP("finding the XenStore ring", xenbus_init(si));
    STEP("reading device/vif/0/backend",
         xenbus_read("device/vif/0/backend", backend, sizeof(backend)));
    STEP("reading device/vif/0/backend-id",
         xenbus_read_uint("device/vif/0/backend-id", &backend_id));
    STEP("reading device/vif/0/mac",
         xenbus_read("device/vif/0/mac", macs, sizeof(macs)));
    STEP("parsing device/vif/0/mac", parse_mac(macs, mac));
    STEP("a backend id above 65535", backend_id > 0xffff ? -XEN_EINVAL : 0);
    STEP("the backend's path is too long",
         strlen(backend) + sizeof("/state") > sizeof(path) ? -XEN_E2BIG : 0);
    memcpy(path, backend, strlen(backend));
    memcpy(path + strlen(backend), "/state", sizeof("/state"));
    STEP("waiting for the backend to be ready (InitWait)",
         xenbus_wait_uint(path, backend_ready, NETFRONT_CONNECT_NS, &state));

    STEP("granting the rings and buffers",
         make_rings((domid_t)backend_id, &tx_ring_ref, &rx_ring_ref));
    STEP("allocating the event channel",
         evtchn_alloc_unbound((domid_t)backend_id, &port));
    STEP("writing tx-ring-ref",
         xenbus_write_uint("device/vif/0/tx-ring-ref", tx_ring_ref));
    STEP("writing rx-ring-ref",
         xenbus_write_uint("device/vif/0/rx-ring-ref", rx_ring_ref));
    STEP("writing event-channel",
         xenbus_write_uint("device/vif/0/event-channel", port));
    STEP("writing request-rx-copy",
         xenbus_write("device/vif/0/request-rx-copy", "1"));
    STEP("writing feature-rx-notify",
         xenbus_write("device/vif/0/feature-rx-notify", "1"));
    /* Checksums filled in before frames reach us: we offload nothing. */
    STEP("writing feature-no-csum-offload",
         xenbus_write("device/vif/0/feature-no-csum-offload", "1"));
    for (size_t i = 0; i < ARRAY_SIZE(zero_is_enough); i++) {
        char key[64];

        memcpy(key, "device/vif/0/", sizeof("device/vif/0/"));
        memcpy(key + sizeof("device/vif/0/") - 1, zero_is_enough[i],
               strlen(zero_is_enough[i]) + 1);
        STEP("writing the features we lack", xenbus_write(key, "0"));
    }
    STEP("writing our state (Connected)",
         xenbus_write_uint("device/vif/0/state", XenbusStateConnected));
    STEP("waiting for the backend to connect",
         xenbus_wait_uint(path, backend_connected, NETFRONT_CONNECT_NS,
                          &state));
    STEP("the backend closed the device",
         state == XenbusStateConnected ? 0 : -XEN_ECONNREFUSED);
    return 0;
}

/* True when the store page is a NOXS device page (libnoxs/README.md, 3). */
static bool store_page_is_noxs(const start_info_t *si, const void **page)
{
    *page = si->store_mfn ? mfn_to_virt(si->store_mfn) : NULL;
    return *page && memcmp(*page, NOXS_DEV_MAGIC, sizeof(NOXS_DEV_MAGIC)) == 0;
}

/* Waits until the backend's state in the control page passes WANT's
 * test; returns that state, or 0 on timeout. */
static uint32_t wait_be_state(const struct noxs_ctrl_page *ctrl,
                              bool (*want)(unsigned long state))
{
    uint64_t deadline = time_now_ns() + NETFRONT_CONNECT_NS;

    for (;;) {
        uint32_t state;

        evtchn_clear(port);
        state = READ_ONCE(ctrl->be.state);
        if (want(state))
            return state;
        if (time_now_ns() >= deadline)
            return 0;
        sched_poll(port, deadline);
    }
}

/* Connects vif 0 through its NOXS control page (libnoxs/README.md, 4). */
static int connect_noxs(const void *page, const char **what)
{
    static struct noxs_devlist devs;
    const struct noxs_dev_entry *e;
    struct noxs_ctrl_be be;
    grant_ref_t tx_ring_ref, rx_ring_ref;
    grant_handle_t handle;
    uint32_t generation, state;
    const char *why;
    int rc;

    STEP("reading the NOXS device page",
         noxs_devpage_read(page, &devs, &generation, &why) ? -XEN_EINVAL : 0);
    e = noxs_devlist_find(&devs, NOXS_DEV_VIF, 0);
    STEP("finding vif 0 in the NOXS device page", e ? 0 : -XEN_ENODEV);
    memcpy(mac, e->mac, sizeof(mac));
    port = e->evtchn;
    STEP("mapping the NOXS control page",
         gnttab_map(e->backend_domid, e->ctrl_gref, ctrl_area, &handle));
    ctrl = (struct noxs_ctrl_page *)ctrl_area;
    memcpy(&be, &ctrl->be, sizeof(be));
    STEP("checking the NOXS control page",
         memcmp(be.magic, NOXS_CTRL_MAGIC, sizeof(be.magic)) ||
         be.version < 1 || be.type != NOXS_DEV_VIF || be.devid != 0 ||
         !(be.features & NOXS_VIF_RX_COPY) ? -XEN_EINVAL : 0);
    state = wait_be_state(ctrl, backend_ready);
    STEP("waiting for the backend to be ready (InitWait)",
         state == 0 ? -XEN_ETIMEDOUT : 0);
    STEP("granting the rings and buffers",
         make_rings(e->backend_domid, &tx_ring_ref, &rx_ring_ref));
    WRITE_ONCE(ctrl->fe.tx_ring_gref, tx_ring_ref);
    WRITE_ONCE(ctrl->fe.rx_ring_gref, rx_ring_ref);
    WRITE_ONCE(ctrl->fe.features, NOXS_VIF_RX_COPY);
    wmb();
    WRITE_ONCE(ctrl->fe.state, NOXS_STATE_INITIALISED);
    evtchn_send(port);
    state = wait_be_state(ctrl, backend_connected);
    STEP("waiting for the backend to connect",
         state == 0 ? -XEN_ETIMEDOUT : 0);
    STEP("the backend closed the device",
         state == NOXS_STATE_CONNECTED ? 0 : -XEN_ECONNREFUSED);
    WRITE_ONCE(ctrl->fe.state, NOXS_STATE_CONNECTED);
    evtchn_send(port);
    return 0;
}
#undef STEP

int netfront_init(const start_info_t *si, const char **what)
{
    const void *page;
    const char *step = "";
    int rc;

    noxs = store_page_is_noxs(si, &page);
    rc = noxs ? connect_noxs(page, &step) : connect_xenbus(si, &step);
    if (rc) {
        if (what)
            *what = step;
        return rc;
    }
    for (uint16_t i = 0; i < NR_RX; i++)
        post_rx(i);
    push_rx();
    return 0;
}

bool netfront_noxs(void)
{
    return noxs;
}

const uint8_t *netfront_mac(void)
{
    return mac;
}

evtchn_port_t netfront_port(void)
{
    return port;
}

/* Frees the TX buffers of the frames the backend has answered. */
static void reap_tx(void)
{
    int more;

    do {
        RING_IDX prod = READ_ONCE(tx.sring->rsp_prod), cons;

        rmb();
        if (prod - tx.rsp_cons > TX_RING_SIZE)    /* broken: skip it all */
            tx.rsp_cons = prod;
        for (cons = tx.rsp_cons; cons != prod; cons++) {
            netif_tx_response_t r = *RING_GET_RESPONSE(&tx, cons);

            if (r.status == NETIF_RSP_NULL)
                continue;
            if (r.id >= NR_TX || !tx_busy[r.id])
                continue;
            /* A frame the backend refused is lost, as on a wire. */
            tx_busy[r.id] = false;
            tx_free[n_tx_free++] = r.id;
        }
        tx.rsp_cons = prod;
        RING_FINAL_CHECK_FOR_RESPONSES(&tx, more);
    } while (more);
}

int netfront_send(const void *frame, size_t len)
{
    netif_tx_request_t *req;
    uint16_t id;
    int notify;

    if (len == 0 || len > NETFRONT_MAX_FRAME)
        return -XEN_EINVAL;
    if (n_tx_free == 0)
        reap_tx();
    if (n_tx_free == 0)
        return -XEN_EAGAIN;
    id = tx_free[--n_tx_free];
    tx_busy[id] = true;
    memcpy(tx_bufs[id], frame, len);
    if (len < MIN_FRAME) {
        memset(tx_bufs[id] + len, 0, MIN_FRAME - len);
        len = MIN_FRAME;
    }
    req = RING_GET_REQUEST(&tx, tx.req_prod_pvt);
    req->gref = tx_refs[id];
    req->offset = 0;
    req->flags = 0;
    req->id = id;
    req->size = (uint16_t)len;
    tx.req_prod_pvt++;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&tx, notify);
    if (notify)
        evtchn_send(port);
    return 0;
}

unsigned int netfront_poll(void (*deliver)(const void *frame, size_t len,
                                           bool csum_valid, void *arg),
                           void *arg)
{
    unsigned int delivered = 0;
    int more;

    reap_tx();
    do {
        RING_IDX prod = READ_ONCE(rx.sring->rsp_prod), cons;

        rmb();
        if (prod - rx.rsp_cons > RX_RING_SIZE)    /* broken: skip it all */
            rx.rsp_cons = prod;
        for (cons = rx.rsp_cons; cons != prod; cons++) {
            netif_rx_response_t r = *RING_GET_RESPONSE(&rx, cons);

            if (r.id >= NR_RX)
                continue;
            /* A malformed response drops its frame. */
            if (r.status > 0 && r.status <= NETFRONT_MAX_FRAME &&
                r.offset + (unsigned int)r.status <= XEN_PAGE_SIZE &&
                !(r.flags & (NETRXF_more_data | NETRXF_extra_info))) {
                delivered++;
                deliver(rx_bufs[r.id] + r.offset, (size_t)r.status,
                        (r.flags & (NETRXF_data_validated |
                                    NETRXF_csum_blank)) != 0, arg);
            }
            post_rx(r.id);
        }
        rx.rsp_cons = prod;
        RING_FINAL_CHECK_FOR_RESPONSES(&rx, more);
    } while (more);
    push_rx();
    return delivered;
}

int netfront_misbehave(enum netfront_misbehaviour how)
{
    int notify;

    switch (how) {
    case NETFRONT_BAD_INDEX:
        WRITE_ONCE(tx.sring->req_prod, tx.req_prod_pvt + 1000);
        break;
    case NETFRONT_BAD_GREF:
        reap_tx();
        while (n_tx_free > 0) {
            netif_tx_request_t *req = RING_GET_REQUEST(&tx, tx.req_prod_pvt);
            uint16_t id = tx_free[--n_tx_free];

            tx_busy[id] = true;
            req->gref = 0x7fffff00u + id;
            req->offset = 0;
            req->flags = 0;
            req->id = id;
            req->size = MIN_FRAME;
            tx.req_prod_pvt++;
        }
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&tx, notify);
        (void)notify;
        break;
    case NETFRONT_BAD_STATE:
        if (!ctrl)
            return -XEN_EINVAL;
        WRITE_ONCE(ctrl->fe.state, 42);
        break;
    }
    evtchn_send(port);
    return 0;
}
