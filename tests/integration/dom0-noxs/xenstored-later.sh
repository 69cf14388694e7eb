#!/bin/bash
# Runs after the other no-xenstored suites: xenstored starts while a chaos
# domain lives. The domain keeps its name (from chaos's state folder), and
# the domains chaos makes from then on are registered in xenstore for xl.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/integration/chaos-cases.sh
. "$(dirname "$0")/../chaos-cases.sh"

free0=$(free_mb)
check "chaos create noop-early without xenstored" ccreate noop-early
early=$("$CHAOS" domid noop-early)
check "xen-daemons starts xenstored, xen-init-dom0 and xenconsoled" \
    "$TOP/tests/xenhost/xen-daemons" /tmp/xen-daemons.log
check "xl sees the Xen daemons" xl list Domain-0
check "chaos list still shows noop-early by name" \
    bash -c "'$CHAOS' list | grep -q '^noop-early '"
check_eq "chaos domid noop-early is unchanged" "$early" "$("$CHAOS" domid noop-early 2>&1)"
expect_fail "a second noop-early is refused" 3 'already in use' ccreate noop-early
check "chaos create noop-late with xenstored" ccreate noop-late
check "xl list shows noop-late by name" xl list noop-late
check "chaos destroy noop-early" "$CHAOS" destroy noop-early
check "chaos destroy noop-late" "$CHAOS" destroy noop-late
check "no xenstore entries left for noop-late" \
    bash -c '! xenstore-ls /local/domain | grep -q noop-late'
if wait_until 30 free_is "$free0"; then
    t_ok "Xen free memory back"
else
    t_fail "Xen free memory back (now $(free_mb), was $free0)"
fi
t_done
