#!/bin/bash
# xendevd against stock xl, real netback and a Linux PV guest (Debian's
# kernel, tests/linux-guest) that answers pings on xenbr0:
#  - through Xen's vif-bridge script, with xendevd running beside it and
#    leaving that vif alone;
#  - through xendevd (script=vif-xendevd): on the bridge, hotplug-status
#    connected, the MTU told to the frontend, pings answered, the bridge
#    clean after destroy;
#  - the same with xl.conf as on a real host (run_hotplug_scripts=0 and
#    vif.default.script=vif-xendevd) and no script= on the vif;
#  - a missing bridge: xl create fails with xendevd's reason, nothing left;
#  - a vif made while xendevd was down: attached by the scan at start;
#  - no xendevd at all: xl create fails after XENDEVD_WAIT with a message;
#  - TAP vifs (the NOXS backend's): attached as described in
#    /run/xendevd, left alone without a description;
#  - a second xendevd refused; SIGTERM stops it with status 0.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/../lib.sh"

XENDEVD=$BUILD/bin/xendevd
HOOK=$BUILD/bin/vif-xendevd
BUSYBOX=$TOP/.cache/xenhost/root/bin/busybox
CONSOLE_LOGS=/var/log/xen/console
LOG=/tmp/xendevd.log
W=/tmp/xendevd-test
XENDEVD_PID=

mkdir -p "$W"
# The guest on dom0's own file system: every read over 9p costs a trip to
# the emulator, and xl reads the 66 MB kernel.
cp "$BUILD/guests/linux-vmlinux" "$BUILD/guests/linux-initrd.gz" "$W/"

bridge_up 10.0.0.1/24

# cfg NAME LAST-OCTET VIF-SPEC: writes $W/NAME.cfg, the Linux guest with
# one vif; it takes 10.0.0.LAST-OCTET.
cfg() {
    cat > "$W/$1.cfg" <<EOF
name = "$1"
type = "pv"
kernel = "$W/linux-vmlinux"
ramdisk = "$W/linux-initrd.gz"
extra = "console=hvc0 quiet guest_ip=10.0.0.$2/24"
memory = 128
vif = [ '$3' ]
EOF
    rm -f "$CONSOLE_LOGS/guest-$1.log"
}
domid_of() { xl domid "$1" 2> /dev/null; }
ports() { ls /sys/class/net/xenbr0/brif 2> /dev/null | tr '\n' ' '; }
bridge_empty() { [ -z "$(ports)" ]; }
on_bridge() { [ -e "/sys/class/net/xenbr0/brif/$1" ]; }
off_bridge() { ! on_bridge "$1"; }
is_up() { ip -o link show "$1" 2> /dev/null | grep -q '[<,]UP[,>]'; }
answers() { "$BUSYBOX" ping -c 1 -W 1 "$1" > /dev/null 2>&1; }
said() { grep -qF "$1" "$LOG"; }
console_says() { grep -qF "$2" "$CONSOLE_LOGS/guest-$1.log" 2> /dev/null; }
gone() { ! xl list "$1" > /dev/null 2>&1; }
no_interface() { ! ip link show "$1" > /dev/null 2>&1; }

start_xendevd() {
    "$XENDEVD" --verbose "$@" >> "$LOG" 2>&1 &
    XENDEVD_PID=$!
    wait_until 10 said "xendevd: started"
}
stop_xendevd() {
    kill -TERM "$XENDEVD_PID"
    wait "$XENDEVD_PID"
}

# reachable NAME IP: the guest says its eth0 is up and answers pings.
reachable() {
    check "$1 configures eth0 (its console says so)" \
        wait_until 120 console_says "$1" "linux-guest: eth0 $2/24 up"
    check "$1 answers ping at $2 over xenbr0" wait_until 60 answers "$2"
}

destroy_clean() {
    local vif=$2
    check "xl destroy $1" xl destroy "$1"
    check "$1 is gone" wait_until 10 gone "$1"
    check "$vif is gone after destroying $1" wait_until 10 no_interface "$vif"
    check "xenbr0 has no ports after destroying $1 (has: $(ports))" \
        wait_until 10 bridge_empty
}

: > "$LOG"
check "xendevd starts (verbose)" start_xendevd

# --- 1. Xen's vif-bridge script, xendevd beside it ---------------------------
note "$(date +%T) 1. Xen's vif-bridge script, xendevd beside it"
cfg lg-script 2 "mac=00:16:3e:00:00:02,bridge=xenbr0"
check "xl create with the vif-bridge script" xl create -q "$W/lg-script.cfg"
d=$(domid_of lg-script)
check "vif$d.0 is on xenbr0 (vif-bridge)" on_bridge "vif$d.0"
reachable lg-script 10.0.0.2
check "xendevd left the vif-bridge vif alone" \
    said "vif-$d-0: ignored: its backend asks for another hotplug script"
destroy_clean lg-script "vif$d.0"

# --- 2. xendevd --------------------------------------------------------------
note "$(date +%T) 2. xendevd"
cfg lg-xd 3 "mac=00:16:3e:00:00:03,bridge=xenbr0,script=$HOOK"
check "xl create with script=vif-xendevd" xl create -q "$W/lg-xd.cfg"
d=$(domid_of lg-xd)
check "vif$d.0 is on xenbr0 (xendevd)" on_bridge "vif$d.0"
check "vif$d.0 is up" is_up "vif$d.0"
check_eq "hotplug-status is connected" connected \
    "$(xenstore-read "/local/domain/0/backend/vif/$d/0/hotplug-status" 2>&1)"
check_eq "the frontend is told the bridge's MTU" 1500 \
    "$(xenstore-read "/local/domain/$d/device/vif/0/mtu" 2>&1)"
check "xendevd says it attached vif$d.0" \
    said "vif$d.0 (domain $d, device 0): on bridge xenbr0, up"
reachable lg-xd 10.0.0.3
destroy_clean lg-xd "vif$d.0"
check "xendevd says it took vif$d.0 off the bridge" \
    wait_until 10 said "vif$d.0 (domain $d, device 0): off its bridge, down"

# --- 2b. xl.conf as on a real host: no script= on the vif --------------------
note "$(date +%T) 2b. xl.conf as on a real host: no script= on the vif"
# run_hotplug_scripts=0 as the issue asks (libxl 4.17 on Linux ignores it)
# and the hook as the default vif script; the vif names no script.
{ grep -v '^run_hotplug_scripts=\|^vif.default.script=' /etc/xen/xl.conf
  echo 'run_hotplug_scripts=0'
  echo "vif.default.script=\"$HOOK\""; } > "$W/xl.conf"
mount --bind "$W/xl.conf" /etc/xen/xl.conf
cfg lg-conf 7 "mac=00:16:3e:00:00:07,bridge=xenbr0"
check "xl create with xl.conf's default script" xl create -q "$W/lg-conf.cfg"
d=$(domid_of lg-conf)
check_eq "its backend names the hook as its script" "$HOOK" \
    "$(xenstore-read "/local/domain/0/backend/vif/$d/0/script" 2>&1)"
check "vif$d.0 is on xenbr0 (xendevd, by xl.conf)" on_bridge "vif$d.0"
reachable lg-conf 10.0.0.7
destroy_clean lg-conf "vif$d.0"
umount /etc/xen/xl.conf

# --- 3. a bridge that does not exist -----------------------------------------
note "$(date +%T) 3. a bridge that does not exist"
cfg lg-nobr 4 "mac=00:16:3e:00:00:04,bridge=nobr0,script=$HOOK"
out=$(xl create -q "$W/lg-nobr.cfg" 2>&1); rc=$?
check "xl create on a missing bridge fails (status $rc)" [ "$rc" -ne 0 ]
check "xl says why: the bridge does not exist" \
    grep -q "bridge nobr0 does not exist" <<< "$out"
check "xendevd logs the missing bridge with what to do" \
    said "bridge nobr0 does not exist; create the bridge or fix bridge="
check "no domain left after the failed create" wait_until 30 gone lg-nobr
check "xenbr0 still has no ports" bridge_empty

# --- 4. a vif made while xendevd was down: the scan at start -----------------
note "$(date +%T) 4. a vif made while xendevd was down: the scan at start"
check "SIGTERM stops xendevd with status 0" stop_xendevd
check "xendevd says it stopped" said "xendevd: stopping on signal 15"
cfg lg-late 5 "mac=00:16:3e:00:00:05,bridge=xenbr0,script=$HOOK"
xl create -q "$W/lg-late.cfg" > "$W/late.out" 2>&1 &
create_pid=$!
vif_exists() {
    d=$(domid_of lg-late) && [ -n "$d" ] && [ -e "/sys/class/net/vif$d.0" ]
}
check "netback made lg-late's vif while xendevd is down" \
    wait_until 60 vif_exists
check "it is not on the bridge yet" bridge_empty
check "xendevd starts again" start_xendevd
wait "$create_pid"; rc=$?
check "the waiting xl create completes (status $rc: $(cat "$W/late.out"))" \
    [ "$rc" -eq 0 ]
d=$(domid_of lg-late)
check "vif$d.0 was attached by the scan at start" on_bridge "vif$d.0"
reachable lg-late 10.0.0.5
destroy_clean lg-late "vif$d.0"

# --- 5. TAP vifs -------------------------------------------------------------
note "$(date +%T) 5. TAP vifs"
printf 'bridge=xenbr0\nmtu=1400\n' > /run/xendevd/vif98.0
ip tuntap add vif98.0 mode tap
check "a described TAP vif goes on its bridge" wait_until 10 on_bridge vif98.0
check "it is up" is_up vif98.0
check_eq "it has the described MTU" 1400 "$(cat /sys/class/net/vif98.0/mtu)"
ip tuntap add vif97.0 mode tap
sleep 1
check "a TAP with no description is left alone" off_bridge vif97.0
ip tuntap del vif98.0 mode tap
ip tuntap del vif97.0 mode tap
rm -f /run/xendevd/vif98.0
check "xenbr0 has no ports after the TAPs are gone" wait_until 10 bridge_empty

# --- 6. one xendevd at a time ------------------------------------------------
note "$(date +%T) 6. one xendevd at a time"
out=$("$XENDEVD" 2>&1); rc=$?
check "a second xendevd is refused (status $rc)" [ "$rc" -ne 0 ]
check "it says another runs" grep -q "another xendevd runs" <<< "$out"
check "SIGTERM stops xendevd with status 0" stop_xendevd

# --- 7. no xendevd: xl fails with a message instead of waiting ---------------
note "$(date +%T) 7. no xendevd: xl fails with a message instead of waiting"
cfg lg-none 6 "mac=00:16:3e:00:00:06,bridge=xenbr0,script=$HOOK"
out=$(XENDEVD_WAIT=3 xl create -q "$W/lg-none.cfg" 2>&1); rc=$?
check "with no xendevd, xl create fails (status $rc)" [ "$rc" -ne 0 ]
check "xl says xendevd did not answer" grep -q "is xendevd running" <<< "$out"
check "no domain left" wait_until 30 gone lg-none

note "xendevd's log:"
sed 's/^/#   /' "$LOG"
t_done
