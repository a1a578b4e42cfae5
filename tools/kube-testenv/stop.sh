#!/usr/bin/env bash
# Stop the processes that start.sh recorded in <state-dir>/pids (TERM, wait, then KILL).
# Only exactly those processes are signalled, and only if their start time still
# matches (so a recycled pid is never hit). Leaves the state dir (logs, certs) in place.
#
#   tools/kube-testenv/stop.sh <state-dir>
set -euo pipefail
KTE_NAME=stop
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

[ $# -eq 1 ] || kte_die "usage: $0 <state-dir>"
STATE="$1"
if [ ! -f "$STATE/pids" ]; then
  kte_log "nothing to stop ($STATE/pids not found)"
  exit 0
fi
# Stop clients first so kube-apiserver has no open watches: with open watches its
# graceful shutdown waits for --request-timeout (60s) before exiting.
ORDER=(kwok kube-scheduler kube-controller-manager kube-apiserver etcd)
others="$(awk -v known=" ${ORDER[*]} " 'index(known, " " $1 " ") == 0 {print $1}' "$STATE/pids")"
# shellcheck disable=SC2206
for name in $others "${ORDER[@]}"; do
  read -r _ pid st < <(awk -v n="$name" '$1 == n' "$STATE/pids") || continue
  [ -n "${pid:-}" ] || continue
  kte_kill "$pid" "$st" "$name" "${STOP_GRACE:-15}"
  pid=
done
# Verify. A process seen gone once may still be there a moment later (seen with kwok
# under load, after its TERM): stop it again, with KILL after a short grace, before failing.
left=0
while read -r name pid st; do
  if kte_alive "$pid" "$st"; then
    kte_log "$name (pid $pid) still running, stopping it again"
    kte_kill "$pid" "$st" "$name" 5
    if kte_alive "$pid" "$st"; then kte_log "WARNING: $name (pid $pid) still running"; left=1; fi
  fi
done < "$STATE/pids"
[ "$left" -eq 0 ] || exit 1
mv "$STATE/pids" "$STATE/pids.stopped"
kte_log "stopped"
