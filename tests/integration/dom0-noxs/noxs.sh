#!/bin/bash
# NOXS with no xenstored: chaos creates the daytime guest with a vif on
# xenbr0; noxsd serves it over the guest's control page, xendevd puts its
# TAP on the bridge; dom0 pings it and reads the time from TCP 13. Destroy
# leaves no TAP, no description, no mapping (the domain is gone from Xen,
# not a zombie) and Xen's memory back. Then: errors (no noxsd, devices =
# "xenstore" without xenstored), the same through chaosd's warm shells, 50
# guests at once,
# and hostile guests that are cut off while a good one keeps answering.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/integration/chaos-cases.sh
. "$(dirname "$0")/../chaos-cases.sh"
# shellcheck source=tests/integration/daytime-lib.sh
. "$(dirname "$0")/../daytime-lib.sh"

NOXSD=$BUILD/bin/noxsd
PEERS=$BUILD/tests/evtchn-peers
XENDEVD=$BUILD/bin/xendevd
CHAOSD=$BUILD/bin/chaosd
DAYTIME=$BUILD/guests/daytime
NLOG=/tmp/noxsd.log
XLOG=/tmp/xendevd-noxs.log
DLOG=/tmp/chaosd-noxs.log
NOXSD_PID= XENDEVD_PID= CHAOSD_PID=
W=/tmp/noxs-test
export CHAOS_NOXSD_SOCKET=$CHAOS_STATE_DIR/noxsd.sock

mkdir -p "$W"
bridge_up 10.0.0.1/16

start_noxsd() {
    "$NOXSD" --socket "$CHAOS_NOXSD_SOCKET" >> "$NLOG" 2>&1 &
    NOXSD_PID=$!
    wait_until 20 test -S "$CHAOS_NOXSD_SOCKET"
}
stop_noxsd() { kill "$NOXSD_PID" 2> /dev/null; wait "$NOXSD_PID" 2> /dev/null; }
noxsd_alive() { kill -0 "$NOXSD_PID" 2> /dev/null; }
# Grant mappings and shared pages noxsd holds (gntdev and gntalloc).
noxsd_grants() { grep -c '/dev/xen/gnt' "/proc/$NOXSD_PID/maps"; }

# dcreate NAME IP [KEY=VALUE ...]: chaos create of daytime with one vif.
dcreate() {
    local name=$1 ip=$2; shift 2
    "$CHAOS" create -q "$CFG" "name=\"$name\"" "kernel=\"$DAYTIME\"" \
        "extra=\"ip=$ip\"" "vif=['bridge=xenbr0']" "$@"
}
up_line() { console_shows "$1" "daytime: up (domid $("$CHAOS" domid "$1")) $2 "; }
# Xen no longer has DOMID at all (a mapping left would keep it dying).
xen_gone() { ! "$CHAOS" list -v --shells | awk 'NR > 1 { print $2 }' | grep -qx "$1"; }

# One guest, made and unmade, with everything it held checked.
guest_case() {
    local name=$1 ip=$2 d free0 grants0
    free0=$(settled_free_mb)
    grants0=$(noxsd_grants)
    check "$name: chaos create daytime with a vif" dcreate "$name" "$ip"
    d=$("$CHAOS" domid "$name")
    check "$name: its netfront connects through NOXS" \
        wait_until 60 console_shows "$name" "$ip 00:16:3e:"
    check "$name: ... through NOXS, not XenStore" console_shows "$name" "(noxs)"
    check "$name: vif$d.0 is on xenbr0" \
        wait_until 20 test -e "/sys/class/net/xenbr0/brif/vif$d.0"
    check "$name: it answers ping" wait_until 30 answers "$ip"
    text=$(daytime_of "$ip")
    note "$name says: ${text%$'\r'}"
    check "$name: TCP 13 gives the time" near_now "$text"
    check "$name: noxsd's event channel is bound to it" \
        bash -c "[ \"\$('$PEERS' $d)\" -ge 1 ]"
    check "$name: chaos destroy" "$CHAOS" destroy "$name"
    check "$name: gone from Xen (no mapping keeps it)" wait_until 20 xen_gone "$d"
    check "$name: no TAP vif$d.0 left" wait_until 10 no_interface "vif$d.0"
    check "$name: no event channel of dom0 names it any more" \
        wait_until 10 bash -c "[ \"\$('$PEERS' $d)\" = 0 ]"
    check "$name: no TAP description left" test ! -e "/run/xendevd/vif$d.0"
    check_eq "$name: noxsd holds no grant for it" "$grants0" "$(noxsd_grants)"
    check_free_back "$name: Xen free memory back" "$free0"
}

"$XENDEVD" > "$XLOG" 2>&1 &
XENDEVD_PID=$!
: > "$NLOG"
check "noxsd starts" start_noxsd
check "noxsd's socket is root's only" \
    bash -c "[ \"\$(stat -c %a '$CHAOS_NOXSD_SOCKET')\" = 600 ]"
expect_fail "a second noxsd" 1 "another noxsd is running" \
    "$NOXSD" --socket "$CHAOS_NOXSD_SOCKET"
check "noxsd --help" bash -c "'$NOXSD' --help | grep -q 'Usage: noxsd'"

guest_case dt-direct 10.0.0.2
ok=0
dcreate dt-many 10.0.0.3
wait_until 60 console_shows dt-many "(noxs)"
for _ in $(seq 1 20); do near_now "$(daytime_of 10.0.0.3)" && ok=$((ok + 1)); done
check_eq "20 connections in a row, each served" 20 "$ok"
d=$("$CHAOS" domid dt-many)
"$CHAOS" destroy dt-many
# Each connection is at least 3 frames each way (handshake, time, close).
check "noxsd reports dt-many's frames when its vif goes" \
    wait_until 10 grep -qE "vif$d.0 removed: [0-9]{2,} frames from the guest \(0 refused, [0-9]+ dropped by the TAP\), [0-9]{2,} to it \(0 lost\)" "$NLOG"
note "$(grep "vif$d.0 removed" "$NLOG")"

expect_fail "devices = \"xenstore\" with a vif, no xenstored" 3 \
    'vifs with devices = "xenstore" need xenstored, which is not running' \
    dcreate dt-xs 10.0.0.4 'devices="xenstore"'
stop_noxsd
expect_fail "no noxsd" 3 "cannot reach noxsd at .*start noxsd" \
    dcreate dt-none 10.0.0.4
check "noxsd starts again" start_noxsd

# Through chaosd: a warm shell of 8 MiB.
"$CHAOSD" --pool 8M:2 >> "$DLOG" 2>&1 &
CHAOSD_PID=$!
check "chaosd starts with a pool" \
    wait_until 60 bash -c "'$CHAOS' pool 2> /dev/null | awk 'NR == 2 { exit \$4 != 2 }'"
settle() { wait_until 60 bash -c "'$CHAOS' pool 2> /dev/null | awk 'NR == 2 { exit \$4 != 2 }'"; }
FREE_SLACK_MB=1
guest_case dt-warm 10.0.0.5

# 50 guests at once, each answering.
n=50 made=0 served=0
for i in $(seq 1 $n); do dcreate "dt-$i" "10.0.1.$i" && made=$((made + 1)); done
check_eq "$n daytime guests made" "$n" "$made"
for i in $(seq 1 $n); do
    wait_until 60 console_shows "dt-$i" "(noxs)" && wait_until 20 serves "10.0.1.$i" &&
        served=$((served + 1))
done
check_eq "each of the $n answers ping and serves the time" "$n" "$served"
for i in $(seq 1 $n); do "$CHAOS" destroy "dt-$i" || t_fail "destroy dt-$i"; done
check "no TAP left of the $n" \
    wait_until 30 bash -c "[ -z \"\$(ls /sys/class/net/xenbr0/brif)\" ]"

# Hostile guests, each beside a good one that must keep answering.
dcreate dt-good 10.0.0.6
check "dt-good answers" wait_until 60 serves 10.0.0.6
for mode in index gref state; do
    dcreate "dt-$mode" "10.0.0.7" "extra=\"ip=10.0.0.7 hostile=$mode\""
    check "hostile=$mode: the guest did it" \
        wait_until 60 console_shows "dt-$mode" "daytime: hostile ($mode) done"
    d=$("$CHAOS" domid "dt-$mode")
    check "hostile=$mode: noxsd cut it off and said why" \
        wait_until 20 grep -q "vif$d.0 (domain $d, vif 0) cut off: " "$NLOG"
    note "$(grep "vif$d.0 (domain $d" "$NLOG")"
    check "hostile=$mode: noxsd still runs" noxsd_alive
    check "hostile=$mode: dt-good still answers" wait_until 20 serves 10.0.0.6
    check "hostile=$mode: its destroy leaves nothing" \
        bash -c "'$CHAOS' destroy dt-$mode && sleep 1 && ! ip link show vif$d.0 2> /dev/null"
done
"$CHAOS" destroy dt-good

kill "$CHAOSD_PID"; wait "$CHAOSD_PID"
check "noxsd stops on SIGTERM" bash -c "kill $NOXSD_PID && wait_pid() { while kill -0 $NOXSD_PID 2> /dev/null; do sleep 0.1; done; }; wait_pid"
check "... and removes its socket" test ! -e "$CHAOS_NOXSD_SOCKET"
kill "$XENDEVD_PID"
t_done
