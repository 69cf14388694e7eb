#!/bin/bash
# chaosd with no xenstored: domain events come from VIRQ_DOM_EXC, names
# from the state folder; the direct-mode cases pass again through it.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/integration/chaos-cases.sh
. "$(dirname "$0")/../chaos-cases.sh"
# shellcheck source=tests/integration/chaosd-cases.sh
. "$(dirname "$0")/../chaosd-cases.sh"

CONSOLE_LOGS=/tmp/chaosd-consoles
chaosd_start_cases
check "chaosd binds VIRQ_DOM_EXC" grep -q 'without xenstored, VIRQ_DOM_EXC' "$DLOG"
chaosd_pool_cases
chaosd_kernel_cache_cases
chaosd_console_cases
lifecycle_case
shutdown_cases
chaosd_idle_case
error_cases
chaosd_protocol_cases
chaosd_auth_cases
chaosd_concurrency_cases
chaosd_kill_cases
chaosd_adoption_cases
chaosd_budget_cases
chaosd_stop_cases
t_done
