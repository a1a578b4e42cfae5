#!/usr/bin/env bash
# Start a local Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler) plus KWOK fake nodes, all on 127.0.0.1 with free ports.
#
#   tools/kube-testenv/start.sh <state-dir>
#
# Environment:
#   KWOK_NODES=3            number of fake nodes (kwok-node-0 ...)
#   KWOK_LOGS_FILE=<file>   CRI-format log file served for every container by
#                           `kubectl logs` (default: a generated sample file)
#   KWOK_PREVIOUS_LOGS_FILE=<file>  the same for `kubectl logs --previous`
#   SLIPWAY_CACHE=<dir>     cache root (default ~/.cache/slipway; binaries go in <dir>/kube)
#   SLIPWAY_KUBE_BIN=<dir>  use binaries from this dir instead of building/cache
#   START_TIMEOUT=180       seconds to wait for each readiness step
#   KTE_LOG_MAX_BYTES=10485760  a component's log moves to <name>.log.1 at this size
#
# Writes <state-dir>/kubeconfig, <state-dir>/env, <state-dir>/pids, <state-dir>/logs/*.log(.1).
# Stop with stop.sh <state-dir>.
set -euo pipefail
KTE_NAME=start
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

[ $# -eq 1 ] || kte_die "usage: $0 <state-dir>"
mkdir -p "$1"
STATE="$(cd "$1" && pwd)"
NODES="${KWOK_NODES:-3}"
TIMEOUT="${START_TIMEOUT:-180}"
[[ "$NODES" =~ ^[0-9]+$ ]] || kte_die "KWOK_NODES must be a number"
for t in python3 openssl curl setsid; do command -v "$t" >/dev/null || kte_die "$t is required"; done

# --- refuse to start twice in the same state dir -------------------------------
# Exit status 3 says so: the control plane running there is another start's to stop.
if [ -f "$STATE/pids" ]; then
  while read -r name pid st; do
    if kte_alive "$pid" "$st"; then
      kte_log "$name (pid $pid) of another start is running in $STATE (stop.sh $STATE stops it)"
      exit 3
    fi
  done < "$STATE/pids"
  kte_log "removing stale state from a previous run in $STATE"
fi
# KTE_KEEP_CLUSTER=1 (npm start): the cluster's data and its certificates are kept from the
# last start (the certificates are complete once sa.pub exists), so what was applied is
# still there; otherwise every start is a new, empty cluster (tests).
KEEP=
if [ "${KTE_KEEP_CLUSTER:-}" = 1 ] && [ -f "$STATE/pki/sa.pub" ] && [ -d "$STATE/etcd/member" ]; then
  KEEP=1
  kte_log "keeping the cluster's data from the last start (etcd, certificates)"
else
  rm -rf "$STATE/pki" "$STATE/etcd"
fi
rm -rf "$STATE/pids" "$STATE/env" "$STATE/kubeconfig" "$STATE/kubeconfigs" \
       "$STATE/logs" "$STATE/cmd" "$STATE/kwok" "$STATE/certs"
mkdir -p "$STATE/pki" "$STATE/kubeconfigs" "$STATE/etcd" "$STATE/logs" "$STATE/cmd" "$STATE/kwok" "$STATE/certs"
chmod 700 "$STATE/etcd" "$STATE/pki"

# --- binaries --------------------------------------------------------------------
if [ -n "${SLIPWAY_KUBE_BIN:-}" ]; then
  KTE_BIN="$SLIPWAY_KUBE_BIN"
  STAGES="${SLIPWAY_KWOK_STAGES:-$(dirname "$KTE_BIN")/share/kwok-stages}"
else
  KTE_BIN="$("$KTE_DIR/build.sh" | tail -n1)"   # no-op when already built
  STAGES="$(kte_root)/share/kwok-stages"
fi
for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok; do
  [ -x "$KTE_BIN/$b" ] || kte_die "missing $KTE_BIN/$b (run build.sh)"
done
[ -f "$STAGES/node-initialize.yaml" ] || kte_die "missing KWOK stages in $STAGES (run build.sh)"

# On any failure (or interrupt) from here on, stop whatever was started.
STARTED_OK=
on_exit() {
  local rc=$?
  [ -z "$STARTED_OK" ] || return 0
  kte_log "start failed (exit $rc); last log lines:"
  local f
  for f in "$STATE"/logs/*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }; done
  "$KTE_DIR/stop.sh" "$STATE" || true
  exit "$rc"
}
trap on_exit EXIT
trap 'kte_log interrupted; exit 130' INT TERM

KTE_STATE="$STATE"   # kte_wait: fail fast if a component dies

# --- ports ---------------------------------------------------------------------
read -r ETCD_PORT ETCD_PEER_PORT API_PORT KCM_PORT SCHED_PORT KWOK_PORT <<<"$(kte_free_ports 6)"
API_URL="https://127.0.0.1:$API_PORT"

# --- certificates (pki.sh) ----------------------------------------------------------
PKI="$STATE/pki"
SERVICE_CIDR=10.0.0.0/24
if [ -z "$KEEP" ]; then
  kte_log "generating certificates in $PKI"
  # shellcheck source=pki.sh
  source "$KTE_DIR/pki.sh"
  kte_make_pki "$PKI"
fi

# kubeconfig <file> <user cert name>
kubeconfig() {
  cat > "$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: slipway-test
  cluster:
    server: $API_URL
    certificate-authority-data: $(base64 -w0 < "$PKI/ca.crt")
users:
- name: $2
  user:
    client-certificate-data: $(base64 -w0 < "$PKI/$2.crt")
    client-key-data: $(base64 -w0 < "$PKI/$2.key")
contexts:
- name: slipway-test
  context:
    cluster: slipway-test
    user: $2
    namespace: default
current-context: slipway-test
EOF
  chmod 600 "$1"
}
kubeconfig "$STATE/kubeconfig" admin
kubeconfig "$STATE/kubeconfigs/controller-manager.kubeconfig" controller-manager
kubeconfig "$STATE/kubeconfigs/scheduler.kubeconfig" scheduler
kubeconfig "$STATE/kubeconfigs/kwok.kubeconfig" kwok

q() { printf '%q' "$1"; }
{
  echo "KUBECONFIG=$(q "$STATE/kubeconfig")"
  echo "KUBE_APISERVER_URL=$API_URL"
  echo "KUBE_APISERVER_PORT=$API_PORT"
  echo "ETCD_URL=http://127.0.0.1:$ETCD_PORT"
  echo "ETCD_PORT=$ETCD_PORT"
  echo "ETCD_PEER_PORT=$ETCD_PEER_PORT"
  echo "KUBE_CONTROLLER_MANAGER_PORT=$KCM_PORT"
  echo "KUBE_SCHEDULER_PORT=$SCHED_PORT"
  echo "KWOK_PORT=$KWOK_PORT"
  echo "KWOK_NODES=$NODES"
  echo "KUBE_TESTENV_STATE_DIR=$(q "$STATE")"
  echo "KUBE_TESTENV_BIN=$(q "$KTE_BIN")"
} > "$STATE/env"

# --- etcd ----------------------------------------------------------------------
kte_spawn "$STATE" etcd "$KTE_BIN/etcd" \
  --name=kube-testenv --data-dir="$STATE/etcd" \
  --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster="kube-testenv=http://127.0.0.1:$ETCD_PEER_PORT" \
  --unsafe-no-fsync=true --log-level=warn
etcd_healthy() { curl -sS --max-time 2 "http://127.0.0.1:$ETCD_PORT/health" | grep -q '"health":"true"'; }
kte_wait "$TIMEOUT" etcd etcd_healthy

# --- kube-apiserver ----------------------------------------------------------------
# --advertise-address is required on hosts without a default route (the apiserver
# otherwise fails to pick an address); --bind-address keeps it on loopback.
# A loopback advertise address is not a valid Endpoints IP, so the endpoint
# reconciler is disabled (otherwise it logs "unable to sync kubernetes service"
# every 10s); the "kubernetes" Service exists but has no endpoints, which does not
# matter with KWOK (no real pods).
kte_spawn "$STATE" kube-apiserver "$KTE_BIN/kube-apiserver" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --cert-dir="$STATE/certs/kube-apiserver" \
  --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
  --client-ca-file="$PKI/ca.crt" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
  --service-cluster-ip-range="$SERVICE_CIDR" \
  --authorization-mode=Node,RBAC --allow-privileged=true \
  --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority="$PKI/ca.crt" --kubelet-preferred-address-types=InternalIP \
  --endpoint-reconciler-type=none \
  --requestheader-client-ca-file="$PKI/ca.crt" --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
  --requestheader-extra-headers-prefix=X-Remote-Extra- \
  --proxy-client-cert-file="$PKI/front-proxy-client.crt" --proxy-client-key-file="$PKI/front-proxy-client.key" \
  --profiling=false --v=1
kte_wait "$TIMEOUT" "kube-apiserver /readyz" kte_readyz "$STATE"
kte_log "kube-apiserver ready at $API_URL"

# --- kube-controller-manager / kube-scheduler --------------------------------------------
KCM_KC="$STATE/kubeconfigs/controller-manager.kubeconfig"
kte_spawn "$STATE" kube-controller-manager "$KTE_BIN/kube-controller-manager" \
  --kubeconfig="$KCM_KC" --authentication-kubeconfig="$KCM_KC" --authorization-kubeconfig="$KCM_KC" \
  --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --cert-dir="$STATE/certs/kube-controller-manager" \
  --leader-elect=false --use-service-account-credentials=true \
  --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
  --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
  --profiling=false --v=1
SCHED_KC="$STATE/kubeconfigs/scheduler.kubeconfig"
kte_spawn "$STATE" kube-scheduler "$KTE_BIN/kube-scheduler" \
  --kubeconfig="$SCHED_KC" --authentication-kubeconfig="$SCHED_KC" --authorization-kubeconfig="$SCHED_KC" \
  --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" --cert-dir="$STATE/certs/kube-scheduler" \
  --leader-elect=false --profiling=false --v=1

# --- KWOK ------------------------------------------------------------------------
LOGS_FILE="${KWOK_LOGS_FILE:-$STATE/kwok/container.log}"
PREVIOUS_LOGS_FILE="${KWOK_PREVIOUS_LOGS_FILE:-$STATE/kwok/previous-container.log}"
# CRI log format: <RFC3339Nano timestamp> <stream> <P|F> <message>
fake_log() {
  for i in 1 2 3 4 5; do
    printf '%s stdout F slipway kube-testenv fake %s log line %d\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" "$1" "$i"
  done
}
[ -n "${KWOK_LOGS_FILE:-}" ] || fake_log container > "$LOGS_FILE"
[ -n "${KWOK_PREVIOUS_LOGS_FILE:-}" ] || fake_log "previous container" > "$PREVIOUS_LOGS_FILE"
cat > "$STATE/kwok/logs.yaml" <<EOF
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata:
  name: all-containers
spec:
  logs:
  - logsFile: $LOGS_FILE
    previousLogsFile: $PREVIOUS_LOGS_FILE
    follow: true
EOF
KWOK_ARGS=(--kubeconfig="$STATE/kubeconfigs/kwok.kubeconfig" --manage-all-nodes=true
  --cidr=10.244.0.1/16 --node-ip=127.0.0.1 --node-port="$KWOK_PORT" --server-address="127.0.0.1:$KWOK_PORT"
  --tls-cert-file="$PKI/kwok-serving.crt" --tls-private-key-file="$PKI/kwok-serving.key"
  --node-lease-duration-seconds=40 --config="$STATE/kwok/logs.yaml")
for s in "$STAGES"/*.yaml; do KWOK_ARGS+=(--config="$s"); done
kte_spawn "$STATE" kwok "$KTE_BIN/kwok" "${KWOK_ARGS[@]}"

# --- fake nodes --------------------------------------------------------------------
letters=(a b c d e f g h i j k l m n o p q r s t u v w x y z)
{
  for ((i = 0; i < NODES; i++)); do
    zone="zone-${letters[i % 3]}"
    if [ "$i" -lt 26 ]; then pool="pool-${letters[i]}"; else pool="pool-$i"; fi
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    type: kwok
    kubernetes.io/hostname: kwok-node-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    topology.kubernetes.io/zone: $zone
    slipway.io/pool: $pool
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110"}
  capacity: {cpu: "32", memory: 256Gi, pods: "110"}
EOF
  done
} > "$STATE/kwok/nodes.yaml"
if [ "$NODES" -gt 0 ]; then
  kte_kubectl "$STATE" apply -f "$STATE/kwok/nodes.yaml" >/dev/null
  kte_log "created $NODES KWOK nodes"
  kte_wait "$TIMEOUT" "KWOK nodes Ready" kte_kubectl "$STATE" wait --for=condition=Ready node --all --timeout=5s
fi

# --- wait for controllers ----------------------------------------------------------
healthz() { curl -sSk --max-time 2 "https://127.0.0.1:$1/healthz" | grep -qx ok; }
kte_wait "$TIMEOUT" "kube-controller-manager /healthz" healthz "$KCM_PORT"
kte_wait "$TIMEOUT" "kube-scheduler /healthz" healthz "$SCHED_PORT"
kte_wait "$TIMEOUT" "default serviceaccount" kte_kubectl "$STATE" -n default get serviceaccount default
kte_wait "$TIMEOUT" "kube-apiserver /readyz" kte_readyz "$STATE"

STARTED_OK=1
kte_log "cluster ready: KUBECONFIG=$STATE/kubeconfig ($NODES KWOK nodes); stop with $KTE_DIR/stop.sh $STATE"
