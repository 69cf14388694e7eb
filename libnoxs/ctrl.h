/*
 * ctrl: the backend's reading of a NOXS control page's guest half
 * (noxs_abi.h, struct noxs_ctrl_fe): copied once, then checked against
 * the state machine of libnoxs/README.md, section 4.
 */
#ifndef NOXS_CTRL_H
#define NOXS_CTRL_H

#include <stdint.h>

#include "noxs_abi.h"

/* noxs_ctrl_fe_copy: copies the guest half of PAGE, which the guest may
 * be writing, into OUT, each field read once. */
void noxs_ctrl_fe_copy(const struct noxs_ctrl_page *page,
                       struct noxs_ctrl_fe *out);

/* noxs_ctrl_fe_check: whether the guest may be in FE (a copy) when it
 * was last seen in PREV_FE_STATE and the backend offers BE_FEATURES.
 * Allowed moves: staying; Initialising or InitWait (its start) to
 * Initialised (with features within BE_FEATURES and both ring grefs
 * non-zero), Initialised to Connected, any state to Closing or Closed.
 * Returns 0, or -1 with WHY a static reason: the device must be cut off. */
int noxs_ctrl_fe_check(const struct noxs_ctrl_fe *fe, uint32_t prev_fe_state,
                       uint32_t be_features, const char **why);

#endif
