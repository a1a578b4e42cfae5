#!/usr/bin/env bash
# Restart only kube-apiserver of a running test cluster (same flags, same port) and
# wait until /readyz is ok again. Updates the kube-apiserver line in <state-dir>/pids.
#
#   tools/kube-testenv/restart-apiserver.sh <state-dir>
set -euo pipefail
KTE_NAME=restart-apiserver
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

[ $# -eq 1 ] || kte_die "usage: $0 <state-dir>"
STATE="$(cd "$1" && pwd)"
[ -f "$STATE/pids" ] && [ -f "$STATE/cmd/kube-apiserver" ] || kte_die "no running test cluster in $STATE"
read -r _ pid st < <(awk '$1 == "kube-apiserver"' "$STATE/pids")
[ -n "${pid:-}" ] || kte_die "kube-apiserver not found in $STATE/pids"
# kube-apiserver's graceful shutdown waits up to --request-timeout (60s) while
# controllers/KWOK hold watches; after a short grace period it is killed.
kte_kill "$pid" "$st" kube-apiserver "${APISERVER_STOP_GRACE:-5}"
eval "set -- $(cat "$STATE/cmd/kube-apiserver")"
kte_spawn "$STATE" kube-apiserver "$@"
KTE_STATE="$STATE"
kte_wait "${START_TIMEOUT:-180}" "kube-apiserver /readyz" kte_readyz "$STATE" || kte_die "kube-apiserver did not become ready, see $STATE/logs/kube-apiserver.log"
kte_log "kube-apiserver ready again"
