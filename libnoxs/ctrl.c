/*
 * ctrl: a control page's guest half, copied and checked. See ctrl.h.
 */
#include "ctrl.h"

void noxs_ctrl_fe_copy(const struct noxs_ctrl_page *page,
                       struct noxs_ctrl_fe *out)
{
    const volatile struct noxs_ctrl_fe *fe = &page->fe;

    out->state = fe->state;
    out->features = fe->features;
    out->tx_ring_gref = fe->tx_ring_gref;
    out->rx_ring_gref = fe->rx_ring_gref;
    for (unsigned i = 0; i < sizeof(out->reserved); i++)
        out->reserved[i] = 0;
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
}

int noxs_ctrl_fe_check(const struct noxs_ctrl_fe *fe, uint32_t prev_fe_state,
                       uint32_t be_features, const char **why)
{
    uint32_t s = fe->state;

    if (s == prev_fe_state || s == NOXS_STATE_CLOSING ||
        s == NOXS_STATE_CLOSED)
        return 0;
    switch (s) {
    case NOXS_STATE_INITIALISED:
        if (prev_fe_state != NOXS_STATE_UNKNOWN &&
            prev_fe_state != NOXS_STATE_INITIALISING &&
            prev_fe_state != NOXS_STATE_INIT_WAIT)
            break;
        if (fe->features & ~be_features) {
            *why = "it asks for features the backend does not offer";
            return -1;
        }
        if (fe->tx_ring_gref == 0 || fe->rx_ring_gref == 0) {
            *why = "it gives no ring grant reference";
            return -1;
        }
        return 0;
    case NOXS_STATE_CONNECTED:
        if (prev_fe_state == NOXS_STATE_INITIALISED)
            return 0;
        break;
    default:
        *why = "an unknown state";
        return -1;
    }
    *why = "a state it may not move to from the one before";
    return -1;
}
