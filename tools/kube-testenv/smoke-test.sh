#!/usr/bin/env bash
# End-to-end check of the test environment: start, run workloads on KWOK nodes,
# read logs, restart kube-apiserver, stop, and verify nothing is left running.
#
#   tools/kube-testenv/smoke-test.sh [state-dir]     (default: a new temp dir)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${1:-$(mktemp -d /tmp/kube-testenv-smoke.XXXXXX)}"
step() { printf '\n[%s] ==== %s\n' "$(date -u +%H:%M:%S)" "$*"; }

step "start (state dir $STATE)"
T0=$SECONDS
"$HERE/start.sh" "$STATE"
echo "start.sh took $((SECONDS - T0))s"
trap '"$HERE/stop.sh" "$STATE" || true' EXIT
# shellcheck disable=SC1091
source "$STATE/env"
export KUBECONFIG
K() { "$KUBE_TESTENV_BIN/kubectl" "$@"; }
cat "$STATE/env"
cat "$STATE/pids"
K version
K get nodes -L topology.kubernetes.io/zone,slipway.io/pool,type

step "Deployment with 2 replicas"
K apply -f - <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx:1.27}]
EOF
K rollout status deployment/web --timeout=120s
K wait --for=condition=Ready pod -l app=web --timeout=60s
K get pods -l app=web -o wide

step "DaemonSet with nodeSelector slipway.io/pool=pool-b"
K apply -f - <<'EOF'
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: default}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {slipway.io/pool: pool-b}
      containers: [{name: agent, image: busybox}]
EOF
K rollout status daemonset/agent --timeout=120s
K get pods -l app=agent -o wide
nodes="$(K get pods -l app=agent -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort -u)"
want="$(K get nodes -l slipway.io/pool=pool-b -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' | sort -u)"
[ "$nodes" = "$want" ] || { echo "DaemonSet pods on '$nodes', expected '$want'"; exit 1; }
echo "DaemonSet pods only on: $nodes"

step "Job completes"
K apply -f - <<'EOF'
apiVersion: batch/v1
kind: Job
metadata: {name: once, namespace: default}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: once, image: busybox, command: ["true"]}]
EOF
K wait --for=condition=Complete job/once --timeout=120s
K get job once; K get pods -l job-name=once

step "kubectl logs / logs -f"
pod="$(K get pods -l app=web -o jsonpath='{.items[0].metadata.name}')"
K logs "$pod"
[ "$(K logs "$pod" | wc -l)" -gt 0 ] || { echo "no log lines"; exit 1; }
echo "--- logs -f (3s):"
timeout 3 "$KUBE_TESTENV_BIN/kubectl" logs -f "$pod" || [ $? -eq 124 ]

step "restart kube-apiserver only"
"$HERE/restart-apiserver.sh" "$STATE"
cat "$STATE/pids"
K scale deployment/web --replicas=4
K rollout status deployment/web --timeout=120s
K get pods -l app=web -o wide
K get --raw /readyz; echo
K get nodes

step "stop"
trap - EXIT
cp "$STATE/pids" "$STATE/pids.smoke"
"$HERE/stop.sh" "$STATE"
leftover=0
# shellcheck source=lib.sh
source "$HERE/lib.sh"
while read -r name pid st; do
  if kte_alive "$pid" "$st"; then echo "LEFTOVER: $name pid $pid"; leftover=1; fi
done < "$STATE/pids.smoke"
if pgrep -af -- "$STATE/" ; then echo "LEFTOVER processes referencing $STATE"; leftover=1; fi
[ "$leftover" -eq 0 ] && echo "no leftover processes"
step "smoke test passed"
