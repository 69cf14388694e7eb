#!/bin/bash
# Stock xl and our noop guest, in the test host's dom0 with xenstored and
# xenconsoled running: create, console line, blocked state, destroy, memory
# returned; poweroff and crash end in the expected shutdown state.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/../lib.sh"

CFG=$TOP/tests/configs/noop.cfg
KERNEL=$BUILD/guests/noop
CONSOLE_LOGS=/var/log/xen/console

free_mb() { xl info free_memory; }

# state NAME: prints the six xl state letters of domain NAME.
state() { xl list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'; }

state_is() { [ "$(state "$1")" = "$2" ]; }
console_has() { grep -qF "$2" "$CONSOLE_LOGS/guest-$1.log" 2> /dev/null; }
gone() { ! xl list "$1" > /dev/null 2>&1; }
free_is() { [ "$(free_mb)" = "$1" ]; }

# create NAME [KEY=VALUE ...]: xl create of the noop config under NAME,
# with a fresh console log (xenconsoled appends to a name's old one).
create() {
    local name=$1; shift
    rm -f "$CONSOLE_LOGS/guest-$name.log"
    xl create -q "$CFG" "name=\"$name\"" "kernel=\"$KERNEL\"" "$@"
}

# destroy_and_check NAME FREE_BEFORE
destroy_and_check() {
    check "xl destroy $1 succeeds" xl destroy "$1"
    check "$1 is gone from xl list" wait_until 10 gone "$1"
    if wait_until 30 free_is "$2"; then
        t_ok "Xen free memory back to $2 MiB after destroying $1"
    else
        t_fail "Xen free memory back to $2 MiB after destroying $1 (now $(free_mb))"
    fi
}

free0=$(free_mb)
note "Xen free memory before: $free0 MiB"

# 1. Plain boot: one console line, then blocked.
check "xl create noop" create noop
domid=$(xl domid noop 2> /dev/null)
check "xl domid noop answers" test -n "$domid"
if wait_until 30 console_has noop "noop: up (domid $domid)"; then
    t_ok "console log shows 'noop: up (domid $domid)'"
else
    t_fail "console log shows 'noop: up (domid $domid)' (log: $(head -c 300 "$CONSOLE_LOGS/guest-noop.log" 2>&1))"
fi
if wait_until 10 state_is noop '-b----'; then
    t_ok "xl list shows noop blocked"
else
    t_fail "xl list shows noop blocked (state '$(state noop)')"
fi
lines=$(wc -l < "$CONSOLE_LOGS/guest-noop.log")
check_eq "noop wrote exactly one console line" 1 "$lines"
destroy_and_check noop "$free0"

# shutdown_case WORD ACTION_KEY STATE: noop with WORD on its command line
# and ACTION_KEY="preserve" ends in xl state STATE, having printed its line.
shutdown_case() {
    local word=$1 key=$2 want=$3 name=noop-$1
    check "xl create noop with extra=$word" \
        create "$name" "extra=\"$word\"" "$key=\"preserve\""
    if wait_until 30 state_is "$name" "$want"; then
        t_ok "$name is shut down with reason $word ($want)"
    else
        t_fail "$name is shut down with reason $word (state '$(state "$name")')"
    fi
    check "$name printed its line before shutting down" \
        console_has "$name" "noop: up (domid"
    destroy_and_check "$name" "$free0"
}

# 2, 3. poweroff and crash on the command line.
shutdown_case poweroff on_poweroff ---s--
shutdown_case crash on_crash ---sc-

t_done
