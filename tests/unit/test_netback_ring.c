/*
 * test_netback_ring.c: the NOXS vif backend's ring handling, with the
 * guest's side played by Xen's own front-ring macros on the same page,
 * and hostile indices and requests.
 */
#include <stdlib.h>
#include <string.h>

#include "../../noxs/netback_ring.h"
#include "unit.h"

static _Alignas(4096) unsigned char tx_page[4096], rx_page[4096];
static netif_tx_front_ring_t ftx;
static netif_rx_front_ring_t frx;
static netif_tx_back_ring_t btx;
static netif_rx_back_ring_t brx;

static void setup(void)
{
    memset(tx_page, 0, sizeof(tx_page));
    memset(rx_page, 0, sizeof(rx_page));
    SHARED_RING_INIT((netif_tx_sring_t *)tx_page);
    FRONT_RING_INIT(&ftx, (netif_tx_sring_t *)tx_page, 4096);
    SHARED_RING_INIT((netif_rx_sring_t *)rx_page);
    FRONT_RING_INIT(&frx, (netif_rx_sring_t *)rx_page, 4096);
    netback_tx_init(&btx, tx_page);
    netback_rx_init(&brx, rx_page);
}

static void post_tx(uint16_t id, uint16_t offset, uint16_t size, uint16_t flags)
{
    netif_tx_request_t *req = RING_GET_REQUEST(&ftx, ftx.req_prod_pvt++);
    int notify;

    req->gref = 100 + id;
    req->offset = offset;
    req->size = size;
    req->id = id;
    req->flags = flags;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&ftx, notify);
    (void)notify;
}

START_TEST(tx_requests_are_copied_and_checked)
{
    struct netback_tx out[8];
    const char *why = NULL;

    post_tx(1, 0, 60, 0);
    post_tx(2, 4000, 100, 0);                   /* crosses its page */
    post_tx(3, 0, 10, 0);                       /* shorter than a header */
    post_tx(4, 0, 1519, 0);                     /* longer than the MTU */
    post_tx(5, 100, 1518, NETTXF_data_validated);
    ck_assert_int_eq(netback_tx_take(&btx, out, 8, &why), 5);
    ck_assert_uint_eq(out[0].req.gref, 101);
    ck_assert_uint_eq(out[0].req.size, 60);
    ck_assert_ptr_null(out[0].bad);
    ck_assert_ptr_nonnull(out[1].bad);
    ck_assert_ptr_nonnull(out[2].bad);
    ck_assert_ptr_nonnull(out[3].bad);
    ck_assert_ptr_null(out[4].bad);
    /* The copy stands when the guest rewrites the ring afterwards. */
    memset(tx_page + 64, 0xff, 4096 - 64);
    ck_assert_uint_eq(out[0].req.id, 1);
    ck_assert_int_eq(netback_tx_take(&btx, out, 8, &why), 0);
}
END_TEST

START_TEST(tx_answers_reach_the_guest)
{
    struct netback_tx out[2];
    const char *why;
    netif_tx_response_t *rsp;

    post_tx(7, 0, 60, 0);
    post_tx(9, 0, 60, 0);
    ck_assert_int_eq(netback_tx_take(&btx, out, 1, &why), 1);
    ck_assert_int_eq(netback_tx_take(&btx, out + 1, 1, &why), 1);
    netback_tx_answer(&btx, out[0].req.id, NETIF_RSP_OKAY);
    netback_tx_answer(&btx, out[1].req.id, NETIF_RSP_ERROR);
    /* The front asked for events from its first response on. */
    ck_assert(netback_tx_push(&btx));
    ck_assert(RING_HAS_UNCONSUMED_RESPONSES(&ftx));
    rsp = RING_GET_RESPONSE(&ftx, ftx.rsp_cons);
    ck_assert_uint_eq(rsp->id, 7);
    ck_assert_int_eq(rsp->status, NETIF_RSP_OKAY);
    rsp = RING_GET_RESPONSE(&ftx, ftx.rsp_cons + 1);
    ck_assert_uint_eq(rsp->id, 9);
    ck_assert_int_eq(rsp->status, NETIF_RSP_ERROR);
    ck_assert(!netback_tx_more(&btx));
    post_tx(10, 0, 60, 0);
    ck_assert(netback_tx_more(&btx));
}
END_TEST

START_TEST(multi_slot_tx_is_a_protocol_error)
{
    struct netback_tx out[4];
    const char *why = NULL;

    post_tx(1, 0, 60, NETTXF_more_data);
    ck_assert_int_eq(netback_tx_take(&btx, out, 4, &why), -1);
    ck_assert_ptr_nonnull(why);
    setup();
    post_tx(1, 0, 60, NETTXF_extra_info);
    ck_assert_int_eq(netback_tx_take(&btx, out, 4, &why), -1);
}
END_TEST

START_TEST(impossible_indices_are_protocol_errors)
{
    struct netback_tx out[4];
    netif_rx_request_t rq;
    const char *why = NULL;
    netif_tx_sring_t *s = (netif_tx_sring_t *)tx_page;

    s->req_prod = NETBACK_TX_RING_SIZE + 1;
    ck_assert_int_eq(netback_tx_take(&btx, out, 4, &why), -1);
    s->req_prod = (RING_IDX)-1;
    ck_assert_int_eq(netback_tx_take(&btx, out, 4, &why), -1);
    /* Exactly a full ring is allowed. */
    s->req_prod = NETBACK_TX_RING_SIZE;
    ck_assert_int_eq(netback_tx_take(&btx, out, 4, &why), 4);
    ((netif_rx_sring_t *)rx_page)->req_prod = NETBACK_RX_RING_SIZE + 5;
    ck_assert_int_eq(netback_rx_take(&brx, &rq, &why), -1);
}
END_TEST

START_TEST(unanswered_requests_count_against_the_ring)
{
    struct netback_tx out[NETBACK_TX_RING_SIZE];
    const char *why;
    netif_tx_sring_t *s = (netif_tx_sring_t *)tx_page;

    s->req_prod = NETBACK_TX_RING_SIZE;
    ck_assert_int_eq(netback_tx_take(&btx, out, NETBACK_TX_RING_SIZE, &why),
                     NETBACK_TX_RING_SIZE);
    /* Nothing answered yet: one more request cannot have a free slot. */
    s->req_prod = NETBACK_TX_RING_SIZE + 1;
    ck_assert_int_eq(netback_tx_take(&btx, out, 4, &why), -1);
    netback_tx_answer(&btx, 0, NETIF_RSP_OKAY);
    ck_assert_int_eq(netback_tx_take(&btx, out, 4, &why), 1);
}
END_TEST

START_TEST(rx_buffers_are_taken_and_filled)
{
    netif_rx_request_t rq;
    netif_rx_response_t *rsp;
    const char *why;
    int notify;

    ck_assert_int_eq(netback_rx_take(&brx, &rq, &why), 0);
    for (uint16_t i = 0; i < 3; i++) {
        netif_rx_request_t *req = RING_GET_REQUEST(&frx, frx.req_prod_pvt++);

        req->id = i;
        req->gref = 200 + i;
    }
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&frx, notify);
    ck_assert(notify);
    ck_assert_int_eq(netback_rx_take(&brx, &rq, &why), 1);
    ck_assert_uint_eq(rq.gref, 200);
    netback_rx_answer(&brx, rq.id, 60);
    ck_assert(netback_rx_push(&brx));
    rsp = RING_GET_RESPONSE(&frx, frx.rsp_cons);
    ck_assert_uint_eq(rsp->id, 0);
    ck_assert_int_eq(rsp->status, 60);
    ck_assert_uint_eq(rsp->offset, 0);
    ck_assert_int_eq(netback_rx_take(&brx, &rq, &why), 1);
    ck_assert_int_eq(netback_rx_take(&brx, &rq, &why), 1);
    ck_assert_uint_eq(rq.gref, 202);
    ck_assert_int_eq(netback_rx_take(&brx, &rq, &why), 0);
    ck_assert(!netback_rx_more(&brx));
}
END_TEST

START_TEST(noise_in_the_ring_pages)
{
    struct netback_tx out[16];
    netif_rx_request_t rq;
    const char *why;

    srand(11);
    for (int round = 0; round < 20000; round++) {
        for (size_t i = 0; i < sizeof(tx_page); i++)
            tx_page[i] = (unsigned char)rand();
        memcpy(rx_page, tx_page, sizeof(rx_page));
        netback_tx_init(&btx, tx_page);
        netback_rx_init(&brx, rx_page);
        btx.req_cons = btx.rsp_prod_pvt = (RING_IDX)rand();
        brx.req_cons = brx.rsp_prod_pvt = (RING_IDX)rand();
        for (int k = 0; k < 4; k++) {
            int n = netback_tx_take(&btx, out, 16, &why);

            ck_assert_int_le(n, 16);
            for (int i = 0; i < n; i++)
                netback_tx_answer(&btx, out[i].req.id, NETIF_RSP_ERROR);
            if (netback_rx_take(&brx, &rq, &why) == 1)
                netback_rx_answer(&brx, rq.id, NETIF_RSP_DROPPED);
            netback_tx_push(&btx);
            netback_rx_push(&brx);
        }
    }
}
END_TEST

Suite *netback_ring_suite(void)
{
    Suite *s = suite_create("netback_ring");
    TCase *tc = tcase_create("rings");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, tx_requests_are_copied_and_checked);
    tcase_add_test(tc, tx_answers_reach_the_guest);
    tcase_add_test(tc, multi_slot_tx_is_a_protocol_error);
    tcase_add_test(tc, impossible_indices_are_protocol_errors);
    tcase_add_test(tc, unanswered_requests_count_against_the_ring);
    tcase_add_test(tc, rx_buffers_are_taken_and_filled);
    tcase_add_test(tc, noise_in_the_ring_pages);
    suite_add_tcase(s, tc);
    return s;
}
