# shellcheck shell=bash
# chaosd against real Xen: the cases that hold with and without xenstored.
# Sourced by dom0/chaosd.sh and dom0-noxs/chaosd.sh after lib.sh and
# chaos-cases.sh (whose direct-mode cases run again through the daemon).

CHAOSD=$BUILD/bin/chaosd
PROBE=$BUILD/tests/chaosd-probe
SOCK=$CHAOS_STATE_DIR/chaosd.sock
DLOG=/tmp/chaosd-test.log
POOL_SIZE=4
CHAOSD_PID=
FREE_SLACK_MB=1

# start_chaosd [ARG ...]: starts chaosd with a pool of POOL_SIZE 8 MiB
# shells and waits for its socket.
# With CONSOLE_LOGS set, chaosd logs the consoles it serves there.
start_chaosd() {
    "$CHAOSD" --pool "8M:$POOL_SIZE" ${CONSOLE_LOGS:+--console-log "$CONSOLE_LOGS"} \
        "$@" >> "$DLOG" 2>&1 &
    CHAOSD_PID=$!
    wait_until 20 test -S "$SOCK"
}
settle() { [ -z "$CHAOSD_PID" ] || ! chaosd_alive || wait_until 60 pool_ready; }
chaosd_alive() { kill -0 "$CHAOSD_PID" 2> /dev/null; }
pool_field() { "$CHAOS" pool 2> /dev/null | awk -v f="$1" 'NR == 2 { print $f }'; }
pool_ready() { [ "$(pool_field 4)" = "$POOL_SIZE" ]; }
# The marked domains (shells): UUIDs 6368616f-732d-7368-...
shell_ids() { "$CHAOS" list -v --shells | awk '$7 ~ /^6368616f-732d-7368-/ { print $2 }' | sort -n; }
PEERS=$BUILD/tests/evtchn-peers
# shells_prebound: dom0 has one event channel port bound to each ready
# shell (its console's), and there is at least one shell.
shells_prebound() {
    local id n=0
    for id in $(shell_ids); do
        [ "$("$PEERS" "$id")" = 1 ] || return 1
        n=$((n + 1))
    done
    [ "$n" -gt 0 ]
}
n_shells() { shell_ids | wc -l; }
n_records() { ls "$CHAOS_STATE_DIR/domains" | wc -l; }
# The marked domains are the pool's shells alone: guests destroyed a moment
# ago, marked until chaosd's reaper has them out of Xen, are gone.
shells_settled() { [ "$(n_shells)" = "$POOL_SIZE" ]; }
# domid_gone DOMID: Xen no longer has DOMID.
domid_gone() { ! "$CHAOS" list --shells | awk 'NR > 1 { print $2 }' | grep -qx "$1"; }

# chaosd_idles: with a full pool and nothing asked of it, chaosd sleeps:
# under 10% of a CPU over 3 s. (A chaosd that spun on a watch it could not
# read once took a whole CPU from the guests and the benchmarks.)
chaosd_idles() {
    local hz before after
    hz=$(getconf CLK_TCK)
    before=$(awk '{ print $14 + $15 }' "/proc/$CHAOSD_PID/stat")
    sleep 3
    after=$(awk '{ print $14 + $15 }' "/proc/$CHAOSD_PID/stat")
    note "chaosd used $((after - before)) ticks of $((3 * hz)) while idle"
    [ $(((after - before) * 10)) -lt $((3 * hz)) ]
}

# chaosd_idle_case: after the domain events of the cases before it.
chaosd_idle_case() {
    check "the pool is full" wait_until 60 pool_ready
    check "chaosd idles when nothing happens" chaosd_idles
}

# chaosd_start_cases: start, the socket, single instance, the pool.
chaosd_start_cases() {
    : > "$DLOG"
    check "chaosd starts and listens" start_chaosd
    check_eq "its socket has mode 600" 600 "$(stat -c %a "$SOCK")"
    check "the pool fills to $POOL_SIZE shells" wait_until 60 pool_ready
    check_eq "chaos list --shells shows $POOL_SIZE marked domains" \
        "$POOL_SIZE" "$(n_shells)"
    check "chaos list hides them" \
        bash -c "! '$CHAOS' list -v | grep -q 6368616f-732d-7368-"
    expect_fail "a second chaosd" 1 'another chaosd is running' \
        "$CHAOSD" --pool 8M:1
    check "the first chaosd still runs" chaosd_alive
    expect_fail "a bad pool specification" 1 'bad pool specification "8X:1"' \
        "$CHAOSD" --socket /tmp/other.sock --pool 8X:1
}

# chaosd_pool_cases: a create of the pool's shape takes a shell; the pool
# refills; another shape is built directly and counted.
chaosd_pool_cases() {
    local shells domid
    shells=$(shell_ids)
    check "chaos create noop-pool" ccreate noop-pool
    domid=$("$CHAOS" domid noop-pool)
    check "noop-pool was made in one of the shells" grep -qx "$domid" <<< "$shells"
    check "noop-pool runs" wait_until 30 console_shows noop-pool "noop: up (domid $domid)"
    check_eq "chaos pool shows it in use" 1 "$(pool_field 5)"
    check "the pool refills" wait_until 60 pool_ready
    check "chaos create noop-16 (no pool of 16 MiB)" ccreate noop-16 memory=16
    check "chaos pool counts it" \
        bash -c "'$CHAOS' pool | grep -q 'creates with no pool of their shape: 1'"
    check "chaos destroy noop-pool" "$CHAOS" destroy noop-pool
    check "chaos destroy noop-16" "$CHAOS" destroy noop-16
    check "chaos pool shows none in use" wait_until 10 bash -c "[ \"\$('$CHAOS' pool | awk 'NR == 2 { print \$5 }')\" = 0 ]"
    check "the reaper has them out of Xen" wait_until 10 shells_settled
    expect_fail "destroy of a shell" 1 'is one of chaosd.s shells' \
        "$CHAOS" destroy "$(shell_ids | head -n 1)"
    # chaosd resolves destroy's argument; its answers are xl's.
    expect_fail "destroy of a name no domain has" 1 \
        '^nosuch is an invalid domain identifier \(rc=-6\)$' "$CHAOS" destroy nosuch
    expect_fail "destroy of domain 0" 1 '^Not destroying domain 0; use -f to force' \
        "$CHAOS" destroy 0
    expect_fail "destroy of Domain-0 by its name" 1 \
        '^Not destroying domain 0; use -f to force' "$CHAOS" destroy Domain-0
    expect_fail "destroy of a name longer than a message carries" 1 \
        'is an invalid domain identifier' "$CHAOS" destroy "$(printf 'x%.0s' $(seq 300))"
    check "chaos create noop-byid" ccreate noop-byid
    check "chaos destroy by domid" "$CHAOS" destroy "$("$CHAOS" domid noop-byid)"
    check "noop-byid is gone" bash -c "! '$CHAOS' domid noop-byid 2> /dev/null"
    # Destroy answers once the domain is no guest any more; chaosd's reaper
    # takes it out of Xen after the answer.
    check "chaos create noop-again" ccreate noop-again
    domid=$("$CHAOS" domid noop-again)
    check "chaos destroy noop-again" "$CHAOS" destroy noop-again
    check "noop-again is gone from chaos list at once" \
        bash -c "! '$CHAOS' list noop-again > /dev/null 2>&1"
    check "its name is free at once: chaos create noop-again" ccreate noop-again
    expect_fail "destroy of the domid destroyed" 1 'destroy failed \(rc=-21\)' \
        "$CHAOS" destroy "$domid"
    check "the reaper takes domain $domid out of Xen" wait_until 10 domid_gone "$domid"
    check "chaos destroy noop-again, the second" "$CHAOS" destroy noop-again
    check_eq "chaosd's log says nothing of the reaper" "" \
        "$(grep -E 'stays paused and marked|cannot (destroy|mark|pause) it' "$DLOG")"
}

# probe CASE STATUS PATTERN: chaosd answers the malformed message CASE
# with STATUS and PATTERN, and keeps serving.
# Bytes chaosd read through read and pread since it started.
chaosd_rchar() { awk '$1 == "rchar:" { print $2 }' "/proc/$CHAOSD_PID/io"; }

# creates_reading NAME MIN MAX: chaos create NAME from $KCACHE succeeds, and
# chaosd reads between MIN and MAX bytes meanwhile.
creates_reading() {
    local before after
    before=$(chaosd_rchar)
    ccreate "$1" "kernel=\"$KCACHE\"" || return 1
    after=$(chaosd_rchar)
    note "$1: chaosd read $((after - before)) bytes"
    [ $((after - before)) -ge "$2" ] && [ $((after - before)) -le "$3" ]
}

# chaosd keeps the kernels clients pass: a settled kernel is read once, one
# rewritten in place is read again, as is one changed less than 2 s ago.
chaosd_kernel_cache_cases() {
    local size
    KCACHE=$(mktemp /tmp/chaosd-kernel.XXXXXX)
    cp "$KERNEL" "$KCACHE"
    size=$(stat -c %s "$KCACHE")
    sleep 3
    check "a kernel chaosd has not seen is read" \
        creates_reading kc-1 "$size" $((size + 4096))
    check "the same kernel again is not read" creates_reading kc-2 0 $((size - 1))
    head -c "$size" /dev/zero > "$KCACHE"
    expect_fail "a create from that kernel rewritten in place (zeros)" 3 \
        'is it a Xen PV kernel' \
        "$CHAOS" create -q "$CFG" 'name="kc-3"' "kernel=\"$KCACHE\""
    cp "$KERNEL" "$KCACHE"
    check "the kernel written back is read" \
        creates_reading kc-4 "$size" $((size + 4096))
    check "and read again while it changed less than 2 s ago" \
        creates_reading kc-5 "$size" $((size + 4096))
    for d in kc-1 kc-2 kc-4 kc-5; do "$CHAOS" destroy "$d"; done
    rm -f "$KCACHE"
}

probe() {
    local out
    out=$("$PROBE" "$SOCK" "$1" 2>&1)
    if grep -qx "status=$2" <<< "$out" && grep -qE "$3" <<< "$out"; then
        t_ok "protocol: $1 is answered with status $2, /$3/"
    else
        t_fail "protocol: $1 is answered with status $2, /$3/ (got: $(head -c 300 <<< "$out"))"
    fi
}

chaosd_protocol_cases() {
    probe short 1 'message shorter than its header'
    probe garbage 1 'bad magic'
    probe magic 1 'bad magic'
    probe version 1 'unsupported protocol version'
    probe length 1 'body length does not match'
    probe type 1 'unknown message type'
    probe reply 1 'not a request'
    probe flags 1 'unknown create flags'
    probe strings 1 'string lengths do not match'
    probe no-fd 1 'descriptors received differ'
    probe fd-count 1 'descriptors received differ'
    probe three-fds 1 'more than two descriptors'
    probe pool-with-fd 1 'carries no descriptors'
    probe huge 1 'longer than CHAOSD_MSG_MAX'
    probe dir-fd 3 'cannot read the kernel /from-a-descriptor: Is a directory'
    probe bad-config 1 'config parsing error'
    probe console-flags 1 'unknown console flags'
    probe console-fd 1 'console request carries no descriptors'
    probe console-none -1 '^'
    probe data 1 'not a request'
    probe data-seq 1 'console data has a non-zero seq'
    probe destroy-fd 1 'destroy carries no descriptors'
    probe destroy-size 1 'destroy body has the wrong size'
    probe named-short 1 'destroy body too short'
    probe named-fd 1 'destroy carries no descriptors'
    probe named-flags 1 'unknown destroy flags'
    probe named-length 1 'destroy domain length does not match'
    probe named-empty 1 'destroy domain is empty or too long'
    probe named-nul 1 'NUL in the destroy domain'
    check "protocol: two requests, then the client's end: two replies, then chaosd's" \
        bash -c "[ \"\$('$PROBE' '$SOCK' pools-then-end | tr '\n' ' ')\" = 'status=0 seq=1 status=0 seq=2 closed ' ]"
    check "chaosd still runs after every bad message" chaosd_alive
    check "and still serves" "$CHAOS" pool
    check "no probe left a domain or a record" \
        bash -c "[ \"\$('$CHAOS' list | wc -l)\" = 2 ] && [ -z \"\$(ls '$CHAOS_STATE_DIR/domains')\" ]"
}

chaosd_auth_cases() {
    local out
    out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$CHAOS" pool 2>&1)
    check_eq "a non-root chaos is refused by the socket's mode: status" 1 "$?"
    check "... and told why" grep -q 'Permission denied' <<< "$out"
    # Let the caller reach the socket, so that chaosd's own check decides.
    chmod 711 "$CHAOS_STATE_DIR"
    chmod 666 "$SOCK"
    out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$CHAOS" pool 2>&1)
    check_eq "a non-root caller is refused by SO_PEERCRED: status" 1 "$?"
    check "... and told why" grep -q 'permission denied: chaosd serves root' <<< "$out"
    [ $T_FAIL = 0 ] || note "it said: $out"
    chmod 600 "$SOCK"
    chmod 700 "$CHAOS_STATE_DIR"
    check "chaosd logs the refusal" grep -q 'refused a client (uid 65534' "$DLOG"
}

# client I N: creates and destroys N domains c-I-1 .. c-I-N, counting the
# failures in /tmp/chaosd-client-I.
client() {
    local i=$1 n=$2 j fails=0
    for j in $(seq "$n"); do
        ccreate "c-$i-$j" > /dev/null 2>> "/tmp/chaosd-client-$i.err" || fails=$((fails + 1))
        "$CHAOS" destroy "c-$i-$j" > /dev/null 2>> "/tmp/chaosd-client-$i.err" || fails=$((fails + 1))
    done
    echo "$fails" > "/tmp/chaosd-client-$i"
}

# chaosd's descriptors: the fewest of three looks, so that one a thread
# holds for a moment (a xenstore connection) is not counted.
chaosd_fds() {
    local i n min=
    for i in 1 2 3; do
        n=$(ls "/proc/$CHAOSD_PID/fd" | wc -l)
        [ -z "$min" ] || [ "$n" -lt "$min" ] && min=$n
        sleep 0.3
    done
    echo "$min"
}

sum_failures() { cat /tmp/chaosd-client-[0-9] | awk '{ n += $1 } END { print n + 0 }'; }

# Every domain is dom0, a shell, or a guest with its record.
accounted() {
    local ids shells records
    ids=$("$CHAOS" list --shells | awk 'NR > 2 { print $2 }' | sort -n)
    shells=$(shell_ids)
    records=$(ls "$CHAOS_STATE_DIR/domains" | sort -n)
    [ "$(sort -n <<< "$shells"$'\n'"$records" | sed '/^$/d')" = "$(sed '/^$/d' <<< "$ids")" ]
}

chaosd_concurrency_cases() {
    local free0 fds0 fails i pids
    wait_until 60 pool_ready
    free0=$(settled_free_mb)
    fds0=$(chaosd_fds)
    rm -f /tmp/chaosd-client-*
    pids=()
    for i in $(seq 8); do client "$i" 13 & pids+=($!); done
    wait "${pids[@]}"
    fails=$(sum_failures)
    check_eq "8 clients created and destroyed 104 domains: failures" 0 "$fails"
    [ "$fails" = 0 ] || note "$(cat /tmp/chaosd-client-*.err | head -n 5)"
    check_eq "no guest left" 1 "$(n_domains)"
    check_eq "no record left" 0 "$(n_records)"
    check "the pool is full again" wait_until 60 pool_ready
    check "Xen free memory is back (within 1 MiB)" wait_until 30 free_is "$free0"
    note "free: $free0 MiB before, $(free_mb) now; $("$CHAOS" list -v --shells | tr '\n' ';')"
    # One more is allowed: a thread may hold one for a moment (a xenstore
    # connection, the state folder); a leak per request would be hundreds.
    check "chaosd holds no more descriptors than before" \
        test "$(chaosd_fds)" -le $((fds0 + 1))
    note "$(ls -l "/proc/$CHAOSD_PID/fd" | awk 'NR > 1 { print $9 $10 $11 }' | tr '\n' ' ')"

    pids=()
    for i in $(seq 8); do ccreate same > /dev/null 2>&1 & pids+=($!); done
    wait "${pids[@]}"
    check_eq "8 clients racing for one name: one domain has it" 1 \
        "$("$CHAOS" list | grep -c '^same ')"
    check "chaos destroy same" "$CHAOS" destroy same
}

chaosd_kill_cases() {
    local fails i pids=()
    rm -f /tmp/chaosd-client-*
    for i in $(seq 4); do client "$i" 10 & pids+=($!); done
    sleep 3
    kill -9 "$CHAOSD_PID"
    wait "$CHAOSD_PID" 2> /dev/null
    note "chaosd killed with SIGKILL while 4 clients create and destroy"
    sleep 2
    check "a new chaosd starts over the stale socket" start_chaosd
    wait_until 10 grep -q 'removed the stale socket' "$DLOG"
    check "it said it removed the stale socket" grep -q 'removed the stale socket' "$DLOG"
    wait "${pids[@]}"
    fails=$(sum_failures)
    note "creates or destroys that failed around the kill: $fails"
    check "the pool is full again" wait_until 60 pool_ready
    check "every domain is dom0, a shell or a recorded guest" wait_until 20 accounted
    # What the failed requests left is reachable by name: clean it up.
    for name in $("$CHAOS" list | awk 'NR > 2 { print $1 }'); do
        "$CHAOS" destroy "$name"
    done
    check_eq "no guest left after cleaning up by name" 1 "$(n_domains)"
    check "only the new chaosd's shells remain" wait_until 20 shells_settled
}

chaosd_adoption_cases() {
    local domid
    check "chaos create noop-adopt (powers off, on_poweroff=preserve)" \
        ccreate noop-adopt 'extra="poweroff"' 'on_poweroff="preserve"'
    check "chaos create noop-keep" ccreate noop-keep
    domid=$("$CHAOS" domid noop-keep)
    kill -9 "$CHAOSD_PID"
    wait "$CHAOSD_PID" 2> /dev/null
    check "chaosd restarts after SIGKILL" start_chaosd
    check_eq "noop-keep is still known by name" "$domid" "$("$CHAOS" domid noop-keep 2>&1)"
    check "noop-keep's console line" console_shows noop-keep "noop: up (domid $domid)"
    check "the restarted chaosd destroys noop-keep" "$CHAOS" destroy noop-keep
    check "noop-adopt is preserved, shut down" wait_until 30 chaos_state_is noop-adopt ---s--
    check "chaos destroy noop-adopt" "$CHAOS" destroy noop-adopt
    check "the pool is full again" wait_until 60 pool_ready
    check "only the new chaosd's shells remain" wait_until 20 shells_settled
}

# chaosd_console_cases: with no xenstored, chaosd serves the consoles: it
# keeps the last 64 KiB of each, logs them, and relays both ways.
chaosd_console_cases() {
    local domid out pid
    out=/tmp/chaosd-console.out
    check "the pool is full" wait_until 60 pool_ready
    check "each ready shell's console channel is bound before any create" \
        shells_prebound
    check "chaos create noop-chatter (writes 128000 bytes of lines)" \
        ccreate noop-chatter 'extra="chatter"'
    check "its last line comes through chaosd" \
        wait_until 60 console_shows noop-chatter "noop: chatter done"
    "$CHAOS" console -n noop-chatter > "$out" 2>&1
    check_eq "chaos console -n gives the last 64 KiB it wrote" 65536 "$(wc -c < "$out")"
    check "which end with its last lines" \
        bash -c "tail -n 2 '$out' | head -n 1 | grep -q '^noop: chatter 1999 '"
    check "and no longer hold its first" bash -c "! grep -q '^noop: chatter 0000 ' '$out'"
    check "chaosd logged every line in $CONSOLE_LOGS/noop-chatter.log" \
        bash -c "[ \"\$(grep -c '^noop: chatter [0-9]* ' '$CONSOLE_LOGS/noop-chatter.log')\" = 2000 ]"
    check "the log begins with the guest's first line" \
        bash -c "head -n 1 '$CONSOLE_LOGS/noop-chatter.log' | grep -q '^noop: up (domid'"
    check "chaos destroy noop-chatter" "$CHAOS" destroy noop-chatter

    check "chaos create noop-echo (echoes each line typed)" \
        ccreate noop-echo 'extra="echo"'
    domid=$("$CHAOS" domid noop-echo)
    check "noop-echo is up" wait_until 30 console_shows noop-echo "noop: up (domid $domid)"
    (sleep 3; printf 'hello chaos\r'; sleep 5; printf '\035') |
        timeout 40 script -qfec "'$CHAOS' console noop-echo" /dev/null > "$out" 2>&1
    check_eq "chaos console through chaosd stops at Ctrl-] with status 0" 0 "$?"
    check "what was typed reached the guest, and its answer came back" \
        grep -q "noop: echo: hello chaos" "$out"
    check "the answer is in chaosd's history too" \
        console_shows noop-echo "noop: echo: hello chaos"
    # 100 lines at once, 4.5 times what the guest's input ring holds: what
    # does not fit waits for the guest to read, none of it is lost.
    (sleep 3
     printf 'paste %s 0123456789abcdefghijklmnopqrstuvwxyz\r' $(seq -w 0 99)
     sleep 10; printf '\035') |
        timeout 60 script -qfec "'$CHAOS' console noop-echo" /dev/null > "$out" 2>&1
    check "a paste of 4600 bytes reached the guest whole: 100 lines echoed" \
        bash -c "[ \"\$(grep -c 'noop: echo: paste [0-9][0-9] 0123456789abcdefghijklmnopqrstuvwxyz' '$out')\" = 100 ]"
    note "paste lines echoed: $(grep -c 'noop: echo: paste' "$out")"
    (sleep 30; printf '\035') |
        timeout 40 script -qfec "'$CHAOS' console noop-echo" /dev/null > "$out" 2>&1 &
    pid=$!
    sleep 3
    check "chaos destroy noop-echo with its console attached" "$CHAOS" destroy noop-echo
    check "the attached console returns when the domain is gone" \
        wait_until 20 bash -c "! kill -0 $pid 2> /dev/null"
    check "chaosd is still serving" "$CHAOS" pool
}

# chaosd_budget_cases: with --pool-memory, the ready shells hold no more
# than the budget; a taken shell's memory is its guest's.
chaosd_budget_cases() {
    kill -TERM "$CHAOSD_PID"
    wait "$CHAOSD_PID"
    check "chaosd starts with --pool-memory 16M" start_chaosd --pool-memory 16M
    check "the pool fills to the budget: 2 shells of 8 MiB" \
        wait_until 60 bash -c "[ \"\$('$CHAOS' pool 2> /dev/null | awk 'NR == 2 { print \$4 }')\" = 2 ]"
    sleep 2
    check_eq "and makes no more" 2 "$(pool_field 4)"
    check "chaos pool shows the budget" \
        bash -c "'$CHAOS' pool | grep -qx 'memory in shells: 16 MiB of a 16 MiB budget'"
    check "chaos create noop-budget takes a shell" ccreate noop-budget
    check "the pool refills within the budget" \
        wait_until 60 bash -c "[ \"\$('$CHAOS' pool 2> /dev/null | awk 'NR == 2 { print \$4 }')\" = 2 ]"
    check_eq "still 2 shells, beside the guest" 2 "$(n_shells)"
    check "chaos destroy noop-budget" "$CHAOS" destroy noop-budget
    kill -TERM "$CHAOSD_PID"
    wait "$CHAOSD_PID"
    expect_fail "a pool memory below one shell" 1 'pool memory 4M is less than one shell of 8 MiB' \
        "$CHAOSD" --pool 8M:1 --pool-memory 4M
    expect_fail "a bad pool memory" 1 'bad pool memory "8X"' \
        "$CHAOSD" --pool 8M:1 --pool-memory 8X
    check "chaosd starts again with no budget" start_chaosd
    check "the pool is full again" wait_until 60 pool_ready
}

chaosd_stop_cases() {
    check "chaos create noop-stays" ccreate noop-stays
    kill -TERM "$CHAOSD_PID"
    wait "$CHAOSD_PID"
    check_eq "chaosd exits 0 on SIGTERM" 0 "$?"
    check "it removed its socket" test ! -e "$SOCK"
    check "it destroyed its shells" wait_until 20 bash -c "[ \"\$('$CHAOS' list -v --shells | grep -c 6368616f-732d-7368-)\" = 0 ]"
    check "the guest stays" "$CHAOS" list noop-stays
    check "chaos works directly again: destroy noop-stays" "$CHAOS" destroy noop-stays
    expect_fail "chaos pool without chaosd" 1 'chaosd is not running' "$CHAOS" pool
}
