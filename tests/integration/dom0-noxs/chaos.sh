#!/bin/bash
# chaos in direct mode with no xenstored, xen-init-dom0 or xenconsoled:
# nothing may wait for them; names live in chaos's state folder.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/integration/chaos-cases.sh
. "$(dirname "$0")/../chaos-cases.sh"

check "xenstored is not running" bash -c '! pgrep -x oxenstored && ! pgrep -x xenstored'
lifecycle_case
shutdown_cases
error_cases
sched_cases
check "chaos create noop-pv" ccreate noop-pv
expect_fail "shutdown without a PV control interface" 1 \
    'PV control interface not available' "$CHAOS" shutdown noop-pv
check "chaos destroy noop-pv" "$CHAOS" destroy noop-pv
check "every state record is gone with its domain" \
    bash -c "[ -z \"\$(ls '$CHAOS_STATE_DIR/domains')\" ]"
t_done
