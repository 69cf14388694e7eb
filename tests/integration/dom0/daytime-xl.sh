#!/bin/bash
# The daytime guest (guest-patches/daytime) under stock xl, with
# xenstored, Xen's vif-bridge script and the kernel's netback: its
# netfront connects through XenStore, and dom0 pings it and reads the time
# from TCP port 13 over xenbr0. The NOXS side of the same guest is in
# dom0-noxs/.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/integration/daytime-lib.sh
. "$(dirname "$0")/../daytime-lib.sh"

CONSOLE_LOGS=/var/log/xen/console
W=/tmp/daytime-xl

mkdir -p "$W"
bridge_up 10.0.0.1/24

# cfg NAME EXTRA: the daytime guest with one vif on xenbr0.
cfg() {
    cat > "$W/$1.cfg" <<CFG
name = "$1"
type = "pv"
kernel = "$BUILD/guests/daytime"
memory = 8
extra = "$2"
vif = [ 'mac=00:16:3e:00:01:02,bridge=xenbr0' ]
CFG
    rm -f "$CONSOLE_LOGS/guest-$1.log"
}
console_says() { grep -qF "$2" "$CONSOLE_LOGS/guest-$1.log" 2> /dev/null; }
ports() { ls /sys/class/net/xenbr0/brif 2> /dev/null | tr '\n' ' '; }
gone() { ! xl list "$1" > /dev/null 2>&1; }

cfg dt-xl "ip=10.0.0.2"
check "xl create daytime with a vif" xl create -q "$W/dt-xl.cfg"
d=$(xl domid dt-xl 2> /dev/null)
check "its netfront connects through XenStore" \
    wait_until 60 console_says dt-xl "daytime: up (domid $d) 10.0.0.2 00:16:3e:00:01:02 (xenstore)"
note "$(cat "$CONSOLE_LOGS/guest-dt-xl.log" 2> /dev/null)"
check "the frontend is Connected in xenstore" \
    bash -c "[ \"\$(xenstore-read /local/domain/$d/device/vif/0/state)\" = 4 ]"
check "it answers ping" wait_until 30 answers 10.0.0.2
text=$(daytime_of 10.0.0.2)
note "daytime says: ${text%$'\r'}"
check "TCP 13 gives the time" near_now "$text"
ok=0
for _ in $(seq 1 20); do near_now "$(daytime_of 10.0.0.2)" && ok=$((ok + 1)); done
check_eq "20 connections in a row, each served" 20 "$ok"
check "another port is refused at once" \
    bash -c "! timeout 5 bash -c 'exec 3<>/dev/tcp/10.0.0.2/80' 2> /dev/null"
check "pings of 1400 bytes are answered" \
    bash -c "\"$BUSYBOX\" ping -c 3 -W 2 -s 1400 10.0.0.2 > /dev/null"
check "xl destroy" xl destroy dt-xl
check "it is gone" wait_until 20 gone dt-xl
check "xenbr0 has no ports (has: $(ports))" wait_until 20 bash -c "[ -z \"\$(ls /sys/class/net/xenbr0/brif)\" ]"

cfg dt-noip ""
xl create -q "$W/dt-noip.cfg"
check "without ip= it says what is missing" \
    wait_until 30 console_says dt-noip "daytime: finding ip=A.B.C.D on the command line failed"
check "... and crashes (on_crash=destroy: gone)" wait_until 30 gone dt-noip
xl destroy dt-noip 2> /dev/null
t_done
