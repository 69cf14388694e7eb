#!/bin/bash
# A script written for xl, as an operator would write it: it calls `xl`.
# dom0/xl-script.sh runs it with the real xl and with chaos in xl's place
# and compares what it printed. Prints one line per step; domids are
# printed as "N" so that both runs can match.
set -u
cfg=$1 kernel=$2

step() { echo "$*"; }
status() { echo "  status $1"; }

step "create"
xl create -q "$cfg" 'name="scripted"' "kernel=\"$kernel\""; status $?
step "create again (name in use)"
xl create -q "$cfg" 'name="scripted"' "kernel=\"$kernel\"" 2> /dev/null; status $?
id=$(xl domid scripted); status $?
[[ "$id" =~ ^[0-9]+$ ]] && echo "  domid is a number"
step "domname"
[ "$(xl domname "$id")" = scripted ] && echo "  domname matches"
step "list one"
xl list scripted | awk 'NR == 1 { print "  " $0 } NR == 2 { $2 = "N"; $5 = "S"; $6 = "T"; print "  " $0 }'
status "${PIPESTATUS[0]}"
step "pause, list, unpause"
xl pause scripted; status $?
xl list scripted | awk 'NR == 2 { print ($5 ~ /p/) ? "  paused" : "  not paused" }'
xl unpause scripted; status $?
step "list a missing domain"
xl list no-such-domain 2>&1 | sed 's/^/  /'; status "${PIPESTATUS[0]}"
step "destroy"
xl destroy scripted; status $?
xl list scripted > /dev/null 2>&1; status $?
step "destroy it again"
xl destroy scripted 2>&1 | sed 's/^/  /'; status "${PIPESTATUS[0]}"
step "info"
xl info | awk -F: '{ print "  " $1 }' | grep -E 'total_memory|free_memory|nr_cpus|xen_version' | sed 's/ *$//'
step "create without a config"
xl create 2>&1 | sed 's/^/  /'; status "${PIPESTATUS[0]}"
step "unknown option"
xl list -z 2>&1 | sed 's/^/  /'; status "${PIPESTATUS[0]}"
