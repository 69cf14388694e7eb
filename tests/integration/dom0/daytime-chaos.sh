#!/bin/bash
# chaos and the daytime guest with xenstored running:
#  - devices = "xenstore": chaos writes the vif's XenStore entries as libxl
#    does, the kernel's netback makes the vif, xendevd attaches it; the
#    guest's netfront connects through XenStore; destroy removes the
#    entries and the interface;
#  - devices = "noxs" (the default): the guest connects through NOXS (its
#    store page is its device page: chaos does not introduce it to
#    xenstored) and is named in XenStore, so xl list shows it;
#  - chaosd --devices xenstore makes that the default for its creates.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/integration/chaos-cases.sh
. "$(dirname "$0")/../chaos-cases.sh"
# shellcheck source=tests/integration/daytime-lib.sh
. "$(dirname "$0")/../daytime-lib.sh"

DAYTIME=$BUILD/guests/daytime
XENDEVD_PID= NOXSD_PID= CHAOSD_PID=
export CHAOS_NOXSD_SOCKET=$CHAOS_STATE_DIR/noxsd.sock

bridge_up 10.0.0.1/24
"$BUILD/bin/xendevd" > /tmp/xendevd-dt.log 2>&1 &
XENDEVD_PID=$!
"$BUILD/bin/noxsd" --socket "$CHAOS_NOXSD_SOCKET" > /tmp/noxsd-dt.log 2>&1 &
NOXSD_PID=$!
wait_until 20 test -S "$CHAOS_NOXSD_SOCKET"

dcreate() {
    local name=$1 ip=$2; shift 2
    "$CHAOS" create -q "$CFG" "name=\"$name\"" "kernel=\"$DAYTIME\"" \
        "extra=\"ip=$ip\"" "vif=['bridge=xenbr0']" "$@"
}

# devices = "xenstore"
free0=$(settled_free_mb)
check "chaos create daytime, devices = \"xenstore\"" \
    dcreate dt-xs 10.0.0.2 'devices="xenstore"'
d=$("$CHAOS" domid dt-xs)
check "its netfront connects through XenStore" \
    wait_until 60 console_shows dt-xs "10.0.0.2 00:16:3e:"
check "... through XenStore, not NOXS" console_shows dt-xs "(xenstore)"
check "netback's vif$d.0 is on xenbr0 (xendevd)" \
    wait_until 20 test -e "/sys/class/net/xenbr0/brif/vif$d.0"
check "xendevd wrote hotplug-status connected" \
    bash -c "[ \"\$(xenstore-read /local/domain/0/backend/vif/$d/0/hotplug-status)\" = connected ]"
check "it answers ping and serves the time" wait_until 30 serves 10.0.0.2
check "xl list shows it" xl list dt-xs
check "chaos destroy dt-xs" "$CHAOS" destroy dt-xs
check "its backend entries are gone" \
    wait_until 10 bash -c "! xenstore-exists /local/domain/0/backend/vif/$d"
check "netback's vif$d.0 is gone" wait_until 20 no_interface "vif$d.0"
check_free_back "Xen free memory back" "$free0"

# devices = "noxs", the default, with xenstored running
check "chaos create daytime, NOXS by default" dcreate dt-nx 10.0.0.3
d=$("$CHAOS" domid dt-nx)
check "its netfront connects through NOXS" \
    wait_until 60 console_shows dt-nx "10.0.0.3 00:16:3e:"
check "... through NOXS" console_shows dt-nx "(noxs)"
check "it answers ping and serves the time" wait_until 30 serves 10.0.0.3
check "xl list shows it by name" xl list dt-nx
check "no XenStore vif entries for it" \
    bash -c "! xenstore-exists /local/domain/0/backend/vif/$d"
check "chaos destroy dt-nx" "$CHAOS" destroy dt-nx
check "noxsd's TAP vif$d.0 is gone" wait_until 20 no_interface "vif$d.0"

# chaosd --devices xenstore
"$BUILD/bin/chaosd" --devices xenstore --pool 8M:1 > /tmp/chaosd-dt.log 2>&1 &
CHAOSD_PID=$!
check "chaosd --devices xenstore starts" wait_until 20 test -S "$CHAOS_STATE_DIR/chaosd.sock"
check "chaos create through chaosd, no devices = in the config" \
    dcreate dt-cd 10.0.0.4
check "its netfront connects through XenStore" \
    wait_until 60 console_shows dt-cd "(xenstore)"
d=$("$CHAOS" domid dt-cd)
check "it answers ping and serves the time" wait_until 30 serves 10.0.0.4
check "chaos destroy dt-cd" "$CHAOS" destroy dt-cd
# chaosd answered before its reaper destroyed the domain; then the reaper
# removes the entries, and netback lets go of the vif.
check "its backend entries are gone" \
    wait_until 10 bash -c "! xenstore-exists /local/domain/0/backend/vif/$d"
check "its /local/domain entries are gone" \
    wait_until 10 bash -c "! xenstore-exists /local/domain/$d"
check "netback's vif$d.0 is gone" wait_until 20 no_interface "vif$d.0"
expect_fail "chaosd --devices magic" 1 'bad device model "magic"' \
    "$BUILD/bin/chaosd" --devices magic --socket /tmp/other.sock
kill "$CHAOSD_PID"; wait "$CHAOSD_PID"
kill "$NOXSD_PID" "$XENDEVD_PID"; wait "$NOXSD_PID" "$XENDEVD_PID"
t_done
