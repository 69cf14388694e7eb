#!/bin/bash
# The xl script (tests/integration/xl-script.sh) run unchanged, once with
# xl and once with chaos installed as xl: same output, same statuses.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/../lib.sh"

script=$TOP/tests/integration/xl-script.sh
cfg=$TOP/tests/configs/noop.cfg
kernel=$BUILD/guests/noop
as_xl=$(mktemp -d)
ln -s "$BUILD/bin/chaos" "$as_xl/xl"

with_xl=$(bash "$script" "$cfg" "$kernel" 2>&1)
with_chaos=$(PATH=$as_xl:$PATH CHAOS_STATE_DIR=/run/chaos-script \
             bash "$script" "$cfg" "$kernel" 2>&1)
check "the script ran to its end with xl" grep -q '^unknown option' <<< "$with_xl"
if [ "$with_xl" = "$with_chaos" ]; then
    t_ok "the script prints the same with chaos as with xl"
else
    t_fail "the script prints the same with chaos as with xl"
    diff <(echo "$with_xl") <(echo "$with_chaos") | sed 's/^/# /'
fi
rm -rf "$as_xl"
t_done
