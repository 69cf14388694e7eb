#!/bin/bash
# The benchmarks' arithmetic on the host, on made-up times: dom0-lib's
# medians and benchmarks/table's ratios, which decide issue 4's targets.
# The times are chosen so that each ratio comes out differently if the
# table divides by the wrong row.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/../lib.sh"

die() { echo "bench-table: $*" >&2; exit 1; }
# shellcheck source=benchmarks/dom0-lib
. "$TOP/benchmarks/dom0-lib"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

printf '%s\n' '1,0,b,5' '1,0,b,3' '2,0,a,7' '1,0,b,4' '1,0,b,10' \
    'x, with commas,2' '1,0,b,1' > "$dir/in"
medians < "$dir/in" > "$dir/out"
check_eq "medians: one line per key, in the order keys first come" \
    "1,0,b 2,0,a x, with commas" "$(sed 's/,[^,]*,[^,]*$//' "$dir/out" | paste -sd' ')"
check "medians: the middle of an odd count, numerically (1 3 4 5 10)" \
    grep -qx '1,0,b,4,5' "$dir/out"
check "medians: a key with commas keeps them" grep -qx 'x, with commas,2,1' "$dir/out"
printf '%s\n' 'k,40' 'k,9' 'k,30' 'k,100' | medians > "$dir/out"
check_eq "medians: the lower middle of an even count (9 30 40 100)" \
    "k,30,4" "$(cat "$dir/out")"
check_eq "medians: nothing in, nothing out" "" "$(medians < /dev/null)"

# Medians in microseconds, as dom0-bench writes them.
cat > "$dir/results.csv" <<'EOF'
part,running_vms,what,median_us,runs
1,0,empty process,10000,15
1,0,empty process beside chaos warm create,20000,15
1,0,empty process beside chaos direct create,40000,15
1,0,in-process build into a shell,5000,15
1,0,chaosd rtt create,7000,15
1,0,in-process build into a shell (Xen's default scheduling),6000,15
1,0,chaosd rtt create (Xen's default scheduling),12000,15
1,0,chaos warm create,29000,15
1,0,chaos direct create,50000,15
1,0,chaosd rtt destroy,4000,15
1,500,chaosd rtt create,8000,15
1,500,chaos warm create,37000,15
1,500,empty process beside chaos warm create,25000,15
2,0,xl create,700000,15
2,0,xl destroy,150000,15
EOF
"$TOP/benchmarks/table" "$dir/results.csv" > "$dir/table"
check_eq "table exits 0" 0 "$?"
row() { grep -F "| $1 |" "$dir/table"; }
check_eq "target 1: xl create / chaosd rtt create" \
    "| xl create / chaosd rtt create | 100.00 | >= 50 | met |" \
    "$(row "xl create / chaosd rtt create")"
check_eq "target 2: round trip / the in-process floor" \
    "| chaosd rtt create / in-process build into a shell | 1.40 | <= 1.5 | met |" \
    "$(row "chaosd rtt create / in-process build into a shell")"
check_eq "target 3: the command / the empty processes timed beside it" \
    "| chaos warm create (command) / empty process beside it | 1.45 | <= 1.5 | met |" \
    "$(row "chaos warm create (command) / empty process beside it")"
check_eq "target 4: chaos warm create at the top level / at 0" \
    "| chaos warm create at 500 VMs / at 0 | 1.28 | <= 1.25 | NOT met |" \
    "$(row "chaos warm create at 500 VMs / at 0")"
check_eq "target 4 with the host's drift taken out: (37/25) / (29/20)" \
    "| the same, each over the empty process beside it | 1.02 | (not a target) | |" \
    "$(row "the same, each over the empty process beside it")"
check_eq "target 5: xl destroy / chaosd rtt destroy" \
    "| xl destroy / chaosd rtt destroy | 37.50 | >= 50 | NOT met |" \
    "$(row "xl destroy / chaosd rtt destroy")"
check_eq "xl create / chaos direct create" \
    "| xl create / chaos direct create (command) | 14.00 | >= 15 | NOT met |" \
    "$(row "xl create / chaos direct create (command)")"
check_eq "the round trip over its floor under Xen's default scheduling" \
    "| the same under Xen's default scheduling (dom0 weight 256, rate limit 1000 us) | 2.00 | (not a target) | |" \
    "$(row "the same under Xen's default scheduling (dom0 weight 256, rate limit 1000 us)")"
check_eq "the median rows, in ms" \
    "| empty process beside chaos warm create | 20.0 | 25.0 |" \
    "$(row "empty process beside chaos warm create")"

grep -v '^1,0,chaosd rtt destroy,' "$dir/results.csv" > "$dir/partial.csv"
"$TOP/benchmarks/table" "$dir/partial.csv" > "$dir/table"
check_eq "a row not measured says so" \
    "| xl destroy / chaosd rtt destroy | - | >= 50 | not measured |" \
    "$(row "xl destroy / chaosd rtt destroy")"
check_eq "no default-scheduling row when it was not measured" "" \
    "$(grep -v "Xen's default" "$dir/results.csv" > "$dir/partial.csv" &&
       "$TOP/benchmarks/table" "$dir/partial.csv" | grep -F "default scheduling")"
t_done
