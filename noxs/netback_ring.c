/*
 * netback_ring: the backend's half of a vif's rings. See netback_ring.h.
 */
#include "netback_ring.h"

#include <string.h>

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))

void netback_tx_init(netif_tx_back_ring_t *r, void *sring)
{
    BACK_RING_INIT(r, (netif_tx_sring_t *)sring, NETBACK_PAGE_SIZE);
}

void netback_rx_init(netif_rx_back_ring_t *r, void *sring)
{
    BACK_RING_INIT(r, (netif_rx_sring_t *)sring, NETBACK_PAGE_SIZE);
}

/* Why request REQ cannot be sent as one frame, or NULL. */
static const char *tx_check(const netif_tx_request_t *req)
{
    if (req->size < NETBACK_MIN_FRAME)
        return "a frame shorter than an Ethernet header";
    if (req->size > NETBACK_MAX_FRAME)
        return "a frame longer than the MTU allows";
    if ((unsigned int)req->offset + req->size > NETBACK_PAGE_SIZE)
        return "a frame that crosses the end of its page";
    return NULL;
}

int netback_tx_take(netif_tx_back_ring_t *r, struct netback_tx *out,
                    unsigned int max, const char **why)
{
    RING_IDX prod = READ_ONCE(r->sring->req_prod);
    unsigned int n = 0;

    xen_rmb();                          /* no request before its index */
    if (RING_REQUEST_PROD_OVERFLOW(r, prod)) {
        *why = "more TX requests than the ring holds";
        return -1;
    }
    for (; r->req_cons != prod && n < max; r->req_cons++, n++) {
        netif_tx_request_t *req = &out[n].req;

        memcpy(req, RING_GET_REQUEST(r, r->req_cons), sizeof(*req));
        if (req->flags & (NETTXF_more_data | NETTXF_extra_info)) {
            *why = "a multi-slot TX request (scatter-gather and GSO were "
                   "not offered)";
            return -1;
        }
        out[n].bad = tx_check(req);
    }
    return (int)n;
}

void netback_tx_answer(netif_tx_back_ring_t *r, uint16_t id, int16_t status)
{
    netif_tx_response_t *rsp = RING_GET_RESPONSE(r, r->rsp_prod_pvt);

    rsp->id = id;
    rsp->status = status;
    r->rsp_prod_pvt++;
}

int netback_rx_take(netif_rx_back_ring_t *r, netif_rx_request_t *out,
                    const char **why)
{
    RING_IDX prod = READ_ONCE(r->sring->req_prod);

    xen_rmb();
    if (RING_REQUEST_PROD_OVERFLOW(r, prod)) {
        *why = "more RX requests than the ring holds";
        return -1;
    }
    if (r->req_cons == prod)
        return 0;
    memcpy(out, RING_GET_REQUEST(r, r->req_cons), sizeof(*out));
    r->req_cons++;
    return 1;
}

void netback_rx_answer(netif_rx_back_ring_t *r, uint16_t id, int16_t status)
{
    netif_rx_response_t *rsp = RING_GET_RESPONSE(r, r->rsp_prod_pvt);

    rsp->id = id;
    rsp->offset = 0;
    rsp->flags = 0;
    rsp->status = status;
    r->rsp_prod_pvt++;
}

bool netback_tx_push(netif_tx_back_ring_t *r)
{
    int notify;

    RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(r, notify);
    return notify;
}

bool netback_rx_push(netif_rx_back_ring_t *r)
{
    int notify;

    RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(r, notify);
    return notify;
}

bool netback_tx_more(netif_tx_back_ring_t *r)
{
    int more;

    RING_FINAL_CHECK_FOR_REQUESTS(r, more);
    return more;
}

bool netback_rx_more(netif_rx_back_ring_t *r)
{
    int more;

    RING_FINAL_CHECK_FOR_REQUESTS(r, more);
    return more;
}
