# shellcheck shell=bash
# chaos in direct mode against real Xen: the cases that hold with and
# without xenstored. Sourced by dom0/chaos.sh and dom0-noxs/chaos.sh after
# lib.sh; they call the functions below and add their own checks.

CHAOS=$BUILD/bin/chaos
CFG=$TOP/tests/configs/noop.cfg
KERNEL=$BUILD/guests/noop
export CHAOS_STATE_DIR=/run/chaos-test

# settle: waits until nothing is about to change Xen's free memory. Nothing
# in direct mode; the chaosd suites wait for its pool to be full.
settle() { :; }
free_mb() { settle; "$CHAOS" info free_memory; }
# free_is MIB: Xen's free memory is MIB, give or take FREE_SLACK_MB (0;
# the chaosd suites allow 1: with shells made and unmade around a case,
# Xen's own per-domain pages may differ by one; a domain left behind
# holds 8 MiB).
FREE_SLACK_MB=0
free_is() {
    local f
    f=$(free_mb)
    [ $((f - $1)) -le "$FREE_SLACK_MB" ] && [ $(($1 - f)) -le "$FREE_SLACK_MB" ]
}
n_domains() { "$CHAOS" list | tail -n +2 | wc -l; }

# chaos_state NAME: the six state letters chaos list shows for NAME.
chaos_state() { "$CHAOS" list "$1" 2> /dev/null | awk 'NR == 2 { print $5 }'; }
chaos_state_is() { [ "$(chaos_state "$1")" = "$2" ]; }
# Xen's free memory once it stops changing (domains destroyed a moment ago
# give theirs back a little later).
settled_free_mb() {
    local a b c
    a=$(free_mb); sleep 0.3; b=$(free_mb); sleep 0.3; c=$(free_mb)
    while [ "$a" != "$b" ] || [ "$b" != "$c" ]; do
        a=$b; b=$c; sleep 0.3; c=$(free_mb)
    done
    echo "$c"
}

# check_free_back WHAT FREE0: Xen's free memory comes back to FREE0 MiB.
check_free_back() {
    if wait_until 30 free_is "$2"; then
        t_ok "$1"
    else
        t_fail "$1 ($2 MiB before, $(free_mb) now; $("$CHAOS" list -v --shells | awk 'NR > 2 { print $1, $2, $5, $7 }' | tr '\n' ';'))"
    fi
}
chaos_gone() { ! "$CHAOS" list "$1" > /dev/null 2>&1; }
console_shows() { "$CHAOS" console -n "$1" 2> /dev/null | grep -qF "$2"; }

# ccreate NAME [KEY=VALUE ...]: chaos create of the noop config as NAME.
ccreate() {
    local name=$1; shift
    "$CHAOS" create -q "$CFG" "name=\"$name\"" "kernel=\"$KERNEL\"" "$@"
}

# expect_fail WHAT STATUS PATTERN CMD...: CMD exits STATUS and says PATTERN
# on stderr, and leaves no domain and no memory behind.
expect_fail() {
    local what=$1 want=$2 pattern=$3; shift 3
    local before free_before err rc
    before=$(n_domains)
    free_before=$(settled_free_mb)
    err=$("$@" 2>&1 > /dev/null)
    rc=$?
    check_eq "$what: exit status" "$want" "$rc"
    if grep -qE "$pattern" <<< "$err"; then
        t_ok "$what: says /$pattern/"
    else
        t_fail "$what: says /$pattern/ (said: $(head -c 400 <<< "$err"))"
    fi
    check_eq "$what: no domain left behind" "$before" "$(n_domains)"
    if wait_until 20 free_is "$free_before"; then
        t_ok "$what: no memory left behind"
    else
        t_fail "$what: no memory left behind ($free_before MiB before, $(free_mb) now)"
    fi
}

# lifecycle_case: create, name in list, console line, blocked, destroy,
# gone, memory back.
lifecycle_case() {
    local free0 domid
    free0=$(settled_free_mb)
    check "chaos create noop" ccreate noop
    domid=$("$CHAOS" domid noop 2> /dev/null)
    check "chaos domid noop answers" test -n "$domid"
    check_eq "chaos domname $domid is noop" noop "$("$CHAOS" domname "$domid" 2>&1)"
    if wait_until 30 console_shows noop "noop: up (domid $domid)"; then
        t_ok "chaos console -n shows 'noop: up (domid $domid)'"
    else
        t_fail "chaos console -n shows 'noop: up (domid $domid)' (shows: $("$CHAOS" console -n noop 2>&1 | head -c 300))"
    fi
    if wait_until 10 chaos_state_is noop '-b----'; then
        t_ok "chaos list shows noop blocked"
    else
        t_fail "chaos list shows noop blocked (state '$(chaos_state noop)')"
    fi
    # Following needs a terminal: script(1) gives it one; Ctrl-] ends it.
    if (sleep 3; printf '\035') | timeout 30 script -qfec "'$CHAOS' console noop" /dev/null |
        grep -q "noop: up (domid $domid)"; then
        t_ok "chaos console follows noop on a terminal and stops at Ctrl-]"
    else
        t_fail "chaos console follows noop on a terminal and stops at Ctrl-]"
    fi
    check "chaos list -l shows noop's configuration" \
        bash -c "'$CHAOS' list -l noop | grep -q '\"name\": \"noop\"'"
    check "chaos pause noop" "$CHAOS" pause noop
    if chaos_state_is noop '-bp---'; then
        t_ok "chaos list shows noop blocked and paused"
    else
        t_fail "chaos list shows noop blocked and paused (state '$(chaos_state noop)')"
    fi
    check "chaos unpause noop" "$CHAOS" unpause noop
    if (sleep 4; printf '\035') | timeout 40 script -qfec \
        "'$CHAOS' create -q -c '$CFG' 'name=\"noop-c\"' 'kernel=\"$KERNEL\"'" /dev/null |
        grep -q "noop: up (domid"; then
        t_ok "chaos create -c attaches the new domain's console"
    else
        t_fail "chaos create -c attaches the new domain's console"
    fi
    check "chaos destroy noop-c" "$CHAOS" destroy noop-c
    check "chaos destroy noop" "$CHAOS" destroy noop
    check "noop is gone from chaos list" wait_until 10 chaos_gone noop
    if wait_until 30 free_is "$free0"; then
        t_ok "Xen free memory back to $free0 MiB after chaos destroy"
    else
        t_fail "Xen free memory back to $free0 MiB after chaos destroy (now $(free_mb))"
    fi
}

# shutdown_cases: the guest's own poweroff and crash end in that state when
# the action is preserve; with the default actions (destroy), and with
# shutdown -F -w, the domain goes away and its memory comes back, as xl's
# monitor would do it; reboot -F with on_reboot=restart makes it anew.
shutdown_cases() {
    local word want free0 old new
    for word in poweroff crash; do
        want=---s--
        [ "$word" = crash ] && want=---sc-
        check "chaos create noop with extra=$word, on_$word=preserve" \
            ccreate "noop-$word" "extra=\"$word\"" "on_$word=\"preserve\""
        if wait_until 30 chaos_state_is "noop-$word" "$want"; then
            t_ok "noop-$word is shut down with reason $word ($want)"
        else
            t_fail "noop-$word is shut down with reason $word (state '$(chaos_state "noop-$word")')"
        fi
        check "chaos console -n shows noop-$word's line" \
            console_shows "noop-$word" "noop: up (domid"
        check "chaos destroy noop-$word" "$CHAOS" destroy "noop-$word"
    done
    free0=$(settled_free_mb)
    check "chaos create noop-bye with extra=poweroff (on_poweroff=destroy)" \
        ccreate noop-bye 'extra="poweroff"'
    check "noop-bye goes away after powering off" wait_until 30 chaos_gone noop-bye
    check_free_back "Xen free memory back after noop-bye powered off" "$free0"

    check "chaos create noop-sd" ccreate noop-sd
    # Whoever carries out on_poweroff=destroy (this command, or chaosd at
    # once) may destroy it before the wait sees it shut down; xl's wait
    # says either too.
    check "chaos shutdown -F -w noop-sd" \
        bash -c "'$CHAOS' shutdown -F -w noop-sd 2>&1 | grep -Eq 'has been (shut down, reason code 0|destroyed)'"
    check "noop-sd is gone (on_poweroff=destroy)" chaos_gone noop-sd
    check_free_back "Xen free memory back after shutdown" "$free0"

    check "chaos create noop-rb with on_reboot=restart" ccreate noop-rb
    old=$("$CHAOS" domid noop-rb)
    check "chaos reboot -F noop-rb" "$CHAOS" reboot -F noop-rb
    check "noop-rb comes back as a new domain" \
        wait_until 30 bash -c "n=\$('$CHAOS' domid noop-rb 2>/dev/null) && [ -n \"\$n\" ] && [ \"\$n\" != '$old' ]"
    new=$("$CHAOS" domid noop-rb 2> /dev/null)
    check "the new noop-rb prints its line" \
        wait_until 30 console_shows noop-rb "noop: up (domid $new)"
    check "chaos destroy noop-rb" "$CHAOS" destroy noop-rb
    check_free_back "Xen free memory back after the restarted domain" "$free0"
}

# error_cases: bad input gets its message and exit status, and leaves
# nothing behind.
error_cases() {
    local bad
    bad=$(mktemp)
    check "chaos create keep (for the name clash)" ccreate keep
    expect_fail "a name already in use" 3 'name "keep" is already in use' ccreate keep
    check "chaos destroy keep" "$CHAOS" destroy keep
    expect_fail "a missing kernel" 3 'cannot read the kernel /nonexistent' \
        "$CHAOS" create -q "$CFG" 'name="x"' 'kernel="/nonexistent"'
    expect_fail "a missing ramdisk" 3 'cannot read the ramdisk /nonexistent' \
        ccreate x 'ramdisk="/nonexistent"'
    # Through chaosd, the command reads the config only to find the files:
    # an error in it still comes before a missing kernel, as in xl.
    expect_fail "a bad on_crash before a missing kernel" 1 \
        'Unknown on_crash action "explode" specified' \
        "$CHAOS" create -q "$CFG" 'name="x"' 'kernel="/nonexistent"' \
        'on_crash="explode"'
    expect_fail "a kernel given as a list" 1 \
        "parameter \`kernel' is a list but should be a single value" \
        ccreate x 'kernel=["/nonexistent"]'
    expect_fail "a kernel that is not a Xen PV kernel" 3 'Xen PV kernel' \
        "$CHAOS" create -q "$CFG" 'name="x"' 'kernel="/bin/true"'
    expect_fail "more memory than Xen has" 3 'not enough free memory' \
        ccreate x 'memory=1000000'
    printf 'name = "x"\nmemory = 8 8\n' > "$bad"
    expect_fail "a config syntax error" 1 "^$bad:2:12: config parsing error" \
        "$CHAOS" create -q "$bad"
    expect_fail "no name" 1 '^Domain name must be specified\.$' \
        "$CHAOS" create -q /dev/null "kernel=\"$KERNEL\""
    expect_fail "maxvcpus below vcpus" 1 'maxvcpus < vcpus' \
        ccreate x vcpus=2 maxvcpus=1
    expect_fail "an unknown on_crash action" 1 'Unknown on_crash action "explode" specified' \
        ccreate x 'on_crash="explode"'
    expect_fail "a missing config file" 3 '^Failed to read config file: /nonexistent.cfg: No such file' \
        "$CHAOS" create /nonexistent.cfg
    expect_fail "destroy of an unknown name" 1 'nosuch is an invalid domain identifier \(rc=-6\)' \
        "$CHAOS" destroy nosuch
    expect_fail "destroy of a domid that does not exist" 1 'destroy failed \(rc=-21\)' \
        "$CHAOS" destroy 4000
    expect_fail "list of a domid that does not exist" 1 "Error: Domain '4000' does not exist\." \
        "$CHAOS" list 4000
    expect_fail "an unknown option" 2 "option \`z' not supported\." \
        "$CHAOS" create -z "$CFG"
    expect_fail "an unknown command" 1 'command not implemented' "$CHAOS" frobnicate
    rm -f "$bad"
}

# sched_cases: chaos sched-credit2 reads and sets credit2's weight, cap and
# rate limit with or without xenstored, refuses what Xen or xl would, and
# leaves dom0's settings as it found them.
sched_cases() {
    local weight0 limit0 out
    weight0=$("$CHAOS" sched-credit2 -d 0 | awk 'NR == 2 { print $3 }')
    limit0=$("$CHAOS" sched-credit2 -s | sed -n 's/.*ratelimit=\([0-9]*\)us$/\1/p')
    check "sched-credit2 -d 0 shows a weight" test -n "$weight0"
    check "sched-credit2 -s shows a rate limit" test -n "$limit0"
    check "chaos create noop-sched" ccreate noop-sched
    check "sched-credit2 -d sets a guest's weight and cap" \
        "$CHAOS" sched-credit2 -d noop-sched -w 512 -c 20
    check_eq "sched-credit2 -d shows them" \
        "noop-sched $("$CHAOS" domid noop-sched) 512 20" \
        "$("$CHAOS" sched-credit2 -d noop-sched | awk 'NR == 2 { print $1, $2, $3, $4 }')"
    check "sched-credit2 -c alone keeps the weight" "$CHAOS" sched-credit2 -d noop-sched -c 0
    check_eq "the weight kept, the cap gone" "512 0" \
        "$("$CHAOS" sched-credit2 -d noop-sched | awk 'NR == 2 { print $3, $4 }')"
    out=$("$CHAOS" sched-credit2)
    check "the full listing has the guest under Pool-0" \
        grep -qE '^noop-sched +[0-9]+ +512 +0$' <<< "$out"
    check "the full listing begins with Pool-0's rate limit" \
        test "$(head -1 <<< "$out")" = "Cpupool Pool-0: ratelimit=${limit0}us"
    expect_fail "sched-credit2 weight 0" 1 'wants a number from 1 to 65535' \
        "$CHAOS" sched-credit2 -d noop-sched -w 0
    expect_fail "sched-credit2 a weight that is not a number" 1 "not '12x'" \
        "$CHAOS" sched-credit2 -d noop-sched -w 12x
    expect_fail "sched-credit2 a cap above 100 per vcpu" 1 'at most 100 times' \
        "$CHAOS" sched-credit2 -d noop-sched -c 101
    check_eq "a refused cap changes nothing" "512 0" \
        "$("$CHAOS" sched-credit2 -d noop-sched | awk 'NR == 2 { print $3, $4 }')"
    expect_fail "sched-credit2 -w without -d" 1 '^Must specify a domain\.$' \
        "$CHAOS" sched-credit2 -w 300
    expect_fail "sched-credit2 -r without -s" 1 'give -s with it' \
        "$CHAOS" sched-credit2 -r 100
    expect_fail "sched-credit2 -s with -d" 1 'separate commands' \
        "$CHAOS" sched-credit2 -s -d 0
    expect_fail "sched-credit2 a rate limit below Xen's least" 1 'or 100 to 500000' \
        "$CHAOS" sched-credit2 -s -r 99
    expect_fail "sched-credit2 an unknown cpupool" 1 "^unknown cpupool 'nope'\$" \
        "$CHAOS" sched-credit2 -p nope
    expect_fail "sched-credit2 a domain that does not exist" 1 'domain 4000 does not exist' \
        "$CHAOS" sched-credit2 -d 4000
    check "sched-credit2 -s -r sets the rate limit" "$CHAOS" sched-credit2 -s -r 100
    check_eq "sched-credit2 -s -p 0 shows it" "Cpupool Pool-0: ratelimit=100us" \
        "$("$CHAOS" sched-credit2 -s -p 0)"
    check "sched-credit2 -s -r restores it" "$CHAOS" sched-credit2 -s -r "$limit0"
    check "sched-credit2 sets dom0's weight" "$CHAOS" sched-credit2 -d Domain-0 -w 1024
    check_eq "dom0's weight set" 1024 \
        "$("$CHAOS" sched-credit2 -d 0 | awk 'NR == 2 { print $3 }')"
    check "sched-credit2 restores dom0's weight" "$CHAOS" sched-credit2 -d 0 -w "$weight0"
    check "chaos destroy noop-sched" "$CHAOS" destroy noop-sched
}
