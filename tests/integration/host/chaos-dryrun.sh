#!/bin/bash
# chaos create -n (dry run) on the host: it needs no Xen, validates the
# configuration as xl does and prints it in libxl's JSON layout.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/../lib.sh"

CHAOS=$BUILD/bin/chaos
CFG=$TOP/tests/configs/noop.cfg
out=$(mktemp)
trap 'rm -f "$out"' EXIT

"$CHAOS" create -n -q "$CFG" 'on_crash="preserve"' > "$out"
check_eq "create -n of a good config exits 0" 0 "$?"
check "it prints the name" grep -qx '        "name": "noop"' "$out"
check "it prints the memory in KiB" grep -qx '        "target_memkb": 8192,' "$out"
check "it prints the non-default on_crash" grep -qx '    "on_crash": "preserve",' "$out"
"$CHAOS" create -n -q "$CFG" 'vcpus=2' 'maxvcpus=1' > /dev/null 2> "$out"
check_eq "create -n of a bad config exits 1" 1 "$?"
check "and says why" grep -q 'maxvcpus < vcpus' "$out"
t_done
