# shellcheck shell=bash
# Talking to the daytime guest (guest-patches/daytime) from dom0: ping
# and its TCP 13. Sourced after lib.sh by the suites that run it.

BUSYBOX=$TOP/.cache/xenhost/root/bin/busybox

# answers IP: one ping to IP is answered within 2 s.
answers() { "$BUSYBOX" ping -c 1 -W 2 "$1" > /dev/null 2>&1; }
# daytime_of IP: what TCP port 13 at IP says.
daytime_of() { timeout 10 bash -c "exec 3<>/dev/tcp/$1/13 && cat <&3" 2> /dev/null; }
# near_now TEXT: TEXT is "YYYY-MM-DD HH:MM:SS UTC\r\n" within 120 s of ours.
near_now() {
    local t
    [[ $1 =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9]{2}:[0-9]{2}:[0-9]{2}\ UTC$'\r'$ ]] || return 1
    t=$(date -u -d "${1%$'\r'}" +%s) || return 1
    [ $((t - $(date -u +%s))) -le 120 ] && [ $(($(date -u +%s) - t)) -le 120 ]
}
# serves IP: IP answers ping and gives the time on TCP 13.
serves() { answers "$1" && near_now "$(daytime_of "$1")"; }
no_interface() { ! ip link show "$1" > /dev/null 2>&1; }
