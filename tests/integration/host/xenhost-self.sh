#!/bin/bash
# Tests of the test host itself, run on the host: a command's exit status
# and output come back through xenhost, and a hung run is reported as a
# timeout.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/../lib.sh"

XENHOST=$TOP/tests/xenhost/xenhost
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

"$XENHOST" run -- sh -c 'echo to-out; echo to-err >&2; exit 7' > "$out" 2> "$err"
check_eq "a command failing in dom0 with 7 makes xenhost exit 7" 7 "$?"
check_eq "its stdout comes back on stdout" to-out "$(cat "$out")"
check "its stderr comes back on stderr" grep -qx to-err "$err"

# The limit counts the boot too: a whole run of `true` takes 18 to 20 s on
# the build machine, and a loaded one has booted past a limit of 20 s,
# failing the second check though nothing was wrong.
"$XENHOST" run --timeout 60 -- sleep 600 > "$out" 2> "$err"
check_eq "a hung command makes xenhost exit 124" 124 "$?"
check "the hang is reported as a timeout" \
    grep -q 'timed out after 60 s while running the command' "$err"

t_done
