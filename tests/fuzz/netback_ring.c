/*
 * netback_ring: fuzzes the NOXS vif backend's ring handling
 * (noxs/netback_ring.c) with guest-written ring pages. The input is the
 * TX ring page, then the RX ring page, then a script of operations, one
 * byte each, that may also rewrite the guest's producer index between
 * calls, as a hostile guest would.
 *
 * Properties: nothing reads or writes outside the pages (ASan); a take
 * never returns more than asked; the backend never holds more requests
 * taken and unanswered than the ring has slots; a taken TX request is
 * marked bad exactly when it is not one sendable frame; more requests
 * posted than free slots are refused as a protocol error; once a take
 * reports one, the device is treated as cut off.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../noxs/netback_ring.h"

#define PAGE 4096

static _Alignas(4096) unsigned char tx_page[PAGE], rx_page[PAGE];

static int sendable(const netif_tx_request_t *r)
{
    return r->size >= NETBACK_MIN_FRAME && r->size <= NETBACK_MAX_FRAME &&
           (unsigned)r->offset + r->size <= PAGE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    netif_tx_back_ring_t tx;
    netif_rx_back_ring_t rx;
    struct netback_tx taken[8];
    uint16_t pending_tx[NETBACK_TX_RING_SIZE];
    unsigned n_pending_tx = 0, n_pending_rx = 0;
    const char *why;

    if (size < 2 * PAGE)
        return 0;
    memcpy(tx_page, data, PAGE);
    memcpy(rx_page, data + PAGE, PAGE);
    data += 2 * PAGE;
    size -= 2 * PAGE;
    netback_tx_init(&tx, tx_page);
    netback_rx_init(&rx, rx_page);
    for (size_t i = 0; i < size; i++) {
        uint8_t op = data[i];

        switch (op & 7) {
        case 0: {                       /* take TX */
            unsigned max = 1u + (op >> 3) % 8;
            RING_IDX prod = ((netif_tx_sring_t *)tx_page)->req_prod;
            int n = netback_tx_take(&tx, taken, max, &why);

            /* More posted than free slots must be refused. */
            if (n >= 0 && prod - tx.rsp_prod_pvt > NETBACK_TX_RING_SIZE)
                abort();
            if (n < 0)
                return 0;               /* cut off */
            if ((unsigned)n > max)
                abort();
            for (int k = 0; k < n; k++) {
                if ((taken[k].bad == NULL) != sendable(&taken[k].req))
                    abort();
                pending_tx[n_pending_tx++] = taken[k].req.id;
            }
            if (n_pending_tx > NETBACK_TX_RING_SIZE)
                abort();
            break;
        }
        case 1:                         /* answer the oldest TX */
            if (n_pending_tx) {
                netback_tx_answer(&tx, pending_tx[0], NETIF_RSP_OKAY);
                memmove(pending_tx, pending_tx + 1,
                        --n_pending_tx * sizeof(pending_tx[0]));
            }
            break;
        case 2: {                       /* take and answer RX */
            netif_rx_request_t rq;
            int r = netback_rx_take(&rx, &rq, &why);

            if (r < 0)
                return 0;
            if (r == 1) {
                if (++n_pending_rx > NETBACK_RX_RING_SIZE)
                    abort();
                if (op & 8) {
                    netback_rx_answer(&rx, rq.id, 60);
                    n_pending_rx--;
                }
            }
            break;
        }
        case 3:
            netback_tx_push(&tx);
            netback_rx_push(&rx);
            break;
        case 4:
            netback_tx_more(&tx);
            netback_rx_more(&rx);
            break;
        case 5:                         /* the guest moves its index */
            ((netif_tx_sring_t *)tx_page)->req_prod += op >> 3;
            break;
        case 6:
            ((netif_rx_sring_t *)rx_page)->req_prod += op >> 3;
            break;
        case 7:                         /* and scribbles on a request */
            tx_page[64 + (size_t)(op >> 3) * 12 % (PAGE - 64)] ^= 0xff;
            break;
        }
    }
    return 0;
}
