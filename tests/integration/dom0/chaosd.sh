#!/bin/bash
# chaosd with xenstored running: domain events come from @releaseDomain
# (xenstored holds VIRQ_DOM_EXC), shells are named in xenstore, and the
# direct-mode cases pass again through the daemon.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/integration/chaos-cases.sh
. "$(dirname "$0")/../chaos-cases.sh"
# shellcheck source=tests/integration/chaosd-cases.sh
. "$(dirname "$0")/../chaosd-cases.sh"

chaosd_start_cases
check "chaosd watches @releaseDomain" grep -q 'with xenstored, @releaseDomain' "$DLOG"
check "xl list names the shells chaos-shell-N" \
    bash -c "[ \"\$(xl list | grep -c '^chaos-shell-')\" = $POOL_SIZE ]"
chaosd_pool_cases
chaosd_kernel_cache_cases
lifecycle_case
shutdown_cases
chaosd_idle_case
error_cases
check "xl list shows a domain made through chaosd" \
    bash -c "'$CHAOS' create -q '$CFG' 'name=\"noop-xl\"' 'kernel=\"$KERNEL\"' && xl list noop-xl && '$CHAOS' destroy noop-xl"
chaosd_protocol_cases
chaosd_auth_cases
chaosd_concurrency_cases
# xenconsoled may write console/tty into a domain destroyed just after it
# was made; chaosd's sweep (on the next domain event, or at most 5 s after
# the last sweep) removes such debris, so the check allows two sweeps.
check "no xenstore entries but dom0's and the shells' (after chaosd's sweep)" \
    wait_until 10 bash -c "[ \"\$(xenstore-list /local/domain | sort -n | tr '\n' ' ')\" = \"\$( (echo 0; '$CHAOS' list -v --shells | awk '\$7 ~ /^6368616f-732d-7368-/ { print \$2 }') | sort -n | tr '\n' ' ')\" ]"
note "xenstore: $(xenstore-list /local/domain | tr '\n' ' '); shells: $(shell_ids | tr '\n' ' '); Xen: $(xl list | awk 'NR > 1 { print $2 }' | tr '\n' ' ')"
# Debris of a domain that does not exist, as xenconsoled leaves it: the
# next sweep (at most 5 s away) removes it.
xenstore-write /local/domain/32000/console/tty /dev/pts/99
check "chaosd's sweep removes the entries of a domain that does not exist" \
    wait_until 15 bash -c '! xenstore-exists /local/domain/32000'
chaosd_kill_cases
chaosd_adoption_cases
chaosd_budget_cases
chaosd_stop_cases
note "xenstore: $(xenstore-list /local/domain | tr '\n' ' ')"
for d in $(xenstore-list /local/domain); do [ "$d" = 0 ] || note "$(xenstore-ls -f "/local/domain/$d" | head -n 8 | tr '\n' ' ')"; done
note "$(grep -v '^chaosd: listening' "$DLOG" | tail -n 20)"
check "no xenstore entries but dom0's" \
    bash -c "[ \"\$(xenstore-list /local/domain | tr '\n' ' ')\" = '0 ' ]"
t_done
