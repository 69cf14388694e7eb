#!/bin/bash
# chaos in direct mode with xenstored and xenconsoled running: its domains
# are also xl's and xenconsoled's.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/integration/chaos-cases.sh
. "$(dirname "$0")/../chaos-cases.sh"

lifecycle_case
shutdown_cases
error_cases
sched_cases

# xl sees chaos's domains by name, xenconsoled serves their console, and
# xl destroy cleans up after them.
free0=$(free_mb)
check "chaos create noop-xl" ccreate noop-xl
domid=$("$CHAOS" domid noop-xl)
check "xl list shows noop-xl by name" xl list noop-xl
check_eq "xl domid noop-xl agrees with chaos" "$domid" "$(xl domid noop-xl 2>&1)"
if wait_until 30 grep -qF "noop: up (domid $domid)" /var/log/xen/console/guest-noop-xl.log; then
    t_ok "xenconsoled logs noop-xl's console line"
else
    t_fail "xenconsoled logs noop-xl's console line"
fi
check "chaos console -n still shows the line under xenconsoled" \
    console_shows noop-xl "noop: up (domid $domid)"
check "xl destroy noop-xl" xl destroy noop-xl
check "noop-xl is gone from chaos list" wait_until 10 chaos_gone noop-xl
check "chaos list forgets the record of the domain xl destroyed" \
    bash -c "'$CHAOS' list > /dev/null && [ ! -e '$CHAOS_STATE_DIR/domains/$domid' ] && [ ! -e '$CHAOS_STATE_DIR/names/_$(printf noop-xl | od -An -tx1 | tr -d ' \n')' ]"
check "no xenstore entries left for $domid" \
    bash -c "! xenstore-exists /local/domain/$domid && ! xenstore-exists /libxl/$domid && ! xenstore-exists /local/domain/0/backend/console/$domid"
if wait_until 30 free_is "$free0"; then
    t_ok "Xen free memory back after xl destroy of a chaos domain"
else
    t_fail "Xen free memory back after xl destroy of a chaos domain (now $(free_mb), was $free0)"
fi

# shutdown asks through control/shutdown and returns once the request is
# taken; noop takes none, so the test takes it for it, as a guest would.
check "chaos create noop-ack" ccreate noop-ack
domid=$("$CHAOS" domid noop-ack)
( node=/local/domain/$domid/control/shutdown
  for _ in $(seq 100); do
      [ "$(xenstore-read "$node" 2> /dev/null)" = poweroff ] && { xenstore-write "$node" ""; break; }
      sleep 0.1
  done ) &
check "chaos shutdown returns once the guest takes the request" "$CHAOS" shutdown noop-ack
wait
check "chaos destroy noop-ack" "$CHAOS" destroy noop-ack

# chaos destroy leaves no xenstore entries either.
check "chaos create noop-rm" ccreate noop-rm
domid=$("$CHAOS" domid noop-rm)
check "chaos destroy noop-rm" "$CHAOS" destroy noop-rm
check "no xenstore entries left after chaos destroy" \
    bash -c "! xenstore-exists /local/domain/$domid && ! xenstore-exists /libxl/$domid && ! xenstore-exists /local/domain/0/backend/console/$domid"

# sched-credit2 prints what xl prints and exits as xl does; each reads what
# the other set.
check "chaos create noop-sched (for sched-credit2 against xl)" ccreate noop-sched
"$CHAOS" sched-credit2 -d noop-sched -w 700 -c 30
for args in "" "-d 0" "-d Domain-0" "-d noop-sched" "-s" "-p Pool-0" "-p 0" \
    "-s -p Pool-0" "-w 5" "-p nope" "-d 0 -p Pool-0" "-d nope" "-d 0 -w 0" \
    "-s -r 50"; do
    # shellcheck disable=SC2086
    mine=$("$CHAOS" sched-credit2 $args 2> /dev/null; echo "exit $?")
    # shellcheck disable=SC2086
    theirs=$(xl sched-credit2 $args 2> /dev/null; echo "exit $?")
    check_eq "sched-credit2 $args: the output and status of xl's" "$theirs" "$mine"
done
check "xl sets a weight" xl sched-credit2 -d noop-sched -w 300
check_eq "chaos reads the weight xl set" 300 \
    "$("$CHAOS" sched-credit2 -d noop-sched | awk 'NR == 2 { print $3 }')"
check "chaos destroy noop-sched" "$CHAOS" destroy noop-sched

t_done
