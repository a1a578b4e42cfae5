#!/usr/bin/env bash
# `npm run cluster`: a local Kubernetes control plane for development (etcd, kube-apiserver,
# controller-manager, scheduler, KWOK fake nodes) with state under .slipway/kube, until
# Ctrl-C. The first run on a machine builds the binaries (minutes); later runs reuse them.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
STATE="${SLIPWAY_STATE_DIR:-$SLIPWAY_ROOT/.slipway}/kube"
TESTENV="$SLIPWAY_ROOT/tools/kube-testenv"
mkdir -p "$STATE"

stopped=
stop() {
  [ -n "$stopped" ] && return
  stopped=1
  log "stopping the cluster"
  "$TESTENV/stop.sh" "$STATE" || true
}
trap stop EXIT
trap 'exit 0' INT TERM

# The same cluster as npm start's, its data kept from one run to the next. Exit status 3:
# it runs already (npm start's, or another of these), and is not this run's to stop.
status=0
KTE_KEEP_CLUSTER=1 "$TESTENV/start.sh" "$STATE" || status=$?
if [ "$status" -eq 3 ]; then
  stopped=1
  log "a control plane already runs in $STATE (npm start, or npm run cluster in another shell); it is left as it is"
  exit 1
fi
[ "$status" -eq 0 ] || exit "$status"
# shellcheck disable=SC1091
source "$STATE/env"
cat <<INFO

Kubernetes is running (${KWOK_NODES} KWOK nodes). In another shell:

  export KUBECONFIG=$KUBECONFIG
  $KUBE_TESTENV_BIN/kubectl get nodes

npm start (with the same state directory) uses it, and leaves it running. Stop: Ctrl-C.
INFO
# Wait for Ctrl-C (a background sleep, so the trap runs at once).
sleep infinity &
wait $!
