# shellcheck shell=bash disable=SC2034
# Assertions for integration tests, sourced by the suites (bash).
#
# Each check prints one TAP-style line, "ok - WHAT" or "not ok - WHAT",
# which tests/integration/run counts. A suite ends with t_done, which prints
# its tally and returns non-zero when anything failed.

T_PASS=0
T_FAIL=0
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
BUILD=$TOP/build

t_ok() { T_PASS=$((T_PASS + 1)); echo "ok - $*"; }
t_fail() { T_FAIL=$((T_FAIL + 1)); echo "not ok - $*"; }

# check WHAT CMD [ARG ...]: passes when CMD succeeds.
check() {
    local what=$1; shift
    if "$@"; then t_ok "$what"; else t_fail "$what"; fi
}

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
    if [ "$2" = "$3" ]; then
        t_ok "$1"
    else
        t_fail "$1 (expected '$2', got '$3')"
    fi
}

# wait_until SECONDS CMD [ARG ...]: polls CMD every 0.2 s until it succeeds;
# fails after SECONDS.
wait_until() {
    local limit=$1; shift
    local deadline=$((SECONDS + limit))
    until "$@"; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.2
    done
}

# bridge_up CIDR: makes xenbr0 (if missing) with dom0's address CIDR, up.
bridge_up() {
    ip link add xenbr0 type bridge 2> /dev/null
    ip addr add "$1" dev xenbr0 2> /dev/null
    ip link set xenbr0 up
}

# note TEXT: context for a human reading the log; not a check.
note() { echo "# $*"; }

t_done() {
    echo "# $(basename "$0"): $T_PASS passed, $T_FAIL failed"
    [ $T_FAIL -eq 0 ]
}
