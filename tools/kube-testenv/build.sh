#!/usr/bin/env bash
# Build the local Kubernetes test control plane binaries from Go modules.
#
#   tools/kube-testenv/build.sh [component...]     components: etcd k8s kwok kustomize (default: all)
#
# Output: ${SLIPWAY_CACHE:-~/.cache/slipway}/kube/<k8s-version>/bin/
#   etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok kustomize
# plus share/kwok-stages/*.yaml (KWOK stage configs copied from the module cache).
#
# A binary is rebuilt only when its stamp (bin/.stamp/<name>) does not match the
# hash of its module's go.mod + go.sum, the Go version and the build flags.
# Prints the bin directory on the last line of stdout.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SLIPWAY_CACHE="${SLIPWAY_CACHE:-$HOME/.cache/slipway}"

log() { printf '[%s] build: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v go >/dev/null || die "go not found in PATH"

# Version of k8s.io/kubernetes pinned in k8s/go.mod names the cache directory.
K8S_VERSION="$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v1\./ {print $2; exit}' "$HERE/k8s/go.mod")"
[ -n "$K8S_VERSION" ] || die "cannot find k8s.io/kubernetes version in $HERE/k8s/go.mod"
K8S_MINOR="${K8S_VERSION#v1.}"; K8S_MINOR="${K8S_MINOR%%.*}"

ROOT="$SLIPWAY_CACHE/kube/$K8S_VERSION"
BIN="$ROOT/bin"
STAMPS="$BIN/.stamp"
SHARE="$ROOT/share"
mkdir -p "$BIN" "$STAMPS" "$SHARE"

# Static, reproducible, small binaries. go.sum is committed: never modify it here.
export CGO_ENABLED=0
export GOFLAGS="-mod=readonly -buildvcs=false"
NICE=(nice -n "${SLIPWAY_BUILD_NICE:-10}")
GO_VERSION="$(go env GOVERSION)"
BUILD_FLAGS=(-trimpath -tags "selinux,notest")

# stamp_key <module dir> <extra...>: hash of go.mod+go.sum (+ *.go), Go version and flags.
stamp_key() {
  local dir="$1"; shift
  local src=("$dir"/*.go)   # etcd/main.go; tool-only modules have none
  [ -e "${src[0]}" ] || src=()
  { cat "$dir/go.mod" "$dir/go.sum" "${src[@]}"; echo "$GO_VERSION ${BUILD_FLAGS[*]} $*"; } | sha256sum | cut -c1-16
}
up_to_date() { # up_to_date <name> <key>
  [ -x "$BIN/$1" ] && [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]
}
mark() { echo "$2" > "$STAMPS/$1"; }
# modver <module dir> <module path>: version required in go.mod (no module download needed).
modver() { awk -v m="$2" '$1 == "require" {$1 = ""; $0 = $0} $1 == m && $2 ~ /^v/ {print $2; exit}' "$1/go.mod"; }

# go_build <module dir> <out dir> <ldflags> <pkg...> — one invocation shares compile work.
go_build() {
  local dir="$1" out="$2" ldflags="$3"; shift 3
  local t0=$SECONDS
  (cd "$dir" && "${NICE[@]}" go build "${BUILD_FLAGS[@]}" -ldflags "$ldflags" -o "$out/" "$@")
  log "  go build took $((SECONDS - t0))s"
}

build_k8s() {
  local dir="$HERE/k8s" names=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
  local ld="-s -w"
  local pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$K8S_MINOR"
    ld+=" -X $pkg.gitTreeState=clean"
  done
  local key; key="$(stamp_key "$dir" "$ld")"
  local stale=() n
  for n in "${names[@]}"; do up_to_date "$n" "$key" || stale+=("$n"); done
  if [ "${#stale[@]}" -eq 0 ]; then log "k8s $K8S_VERSION: up to date"; return; fi
  log "k8s $K8S_VERSION: building ${stale[*]} (cold: ~5 min on 2 cores)"
  local pkgs=()
  for n in "${stale[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$n"); done
  go_build "$dir" "$BIN" "$ld" "${pkgs[@]}"
  for n in "${stale[@]}"; do mark "$n" "$key"; done
}

build_etcd() {
  local dir="$HERE/etcd"
  local ver; ver="$(modver "$dir" go.etcd.io/etcd/server/v3)"
  local ld="-s -w"
  local key; key="$(stamp_key "$dir" "$ld")"
  if up_to_date etcd "$key"; then log "etcd $ver: up to date"; return; fi
  log "etcd $ver: building"
  go_build "$dir" "$BIN/etcd.tmp" "$ld" .
  mv "$BIN/etcd.tmp/etcd" "$BIN/etcd" && rmdir "$BIN/etcd.tmp"
  mark etcd "$key"
}

build_kwok() {
  local dir="$HERE/kwok"
  local ver; ver="$(modver "$dir" sigs.k8s.io/kwok)"
  local ld="-s -w" # sigs.k8s.io/kwok/pkg/consts.Version is already "0.8.0" in the module source
  local key; key="$(stamp_key "$dir" "$ld")"
  if up_to_date kwok "$key" && [ -f "$SHARE/kwok-stages/.stamp" ] && [ "$(cat "$SHARE/kwok-stages/.stamp")" = "$key" ]; then
    log "kwok $ver: up to date"; return
  fi
  log "kwok $ver: building"
  go_build "$dir" "$BIN" "$ld" sigs.k8s.io/kwok/cmd/kwok
  # Stage configs (node/pod lifecycle) ship in the module, not in the binary.
  local src; src="$(cd "$dir" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/stage"
  rm -rf "$SHARE/kwok-stages"; mkdir -p "$SHARE/kwok-stages"
  cp "$src/node/fast/node-initialize.yaml"           "$SHARE/kwok-stages/node-initialize.yaml"
  cp "$src/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" "$SHARE/kwok-stages/node-heartbeat-with-lease.yaml"
  local f
  for f in "$src"/pod/fast/*.yaml; do
    [ "$(basename "$f")" = kustomization.yaml ] || cp "$f" "$SHARE/kwok-stages/$(basename "$f")"
  done
  chmod -R u+w "$SHARE/kwok-stages"
  mark kwok "$key"; echo "$key" > "$SHARE/kwok-stages/.stamp"
}

build_kustomize() {
  local dir="$HERE/kustomize"
  local ver; ver="$(modver "$dir" sigs.k8s.io/kustomize/kustomize/v5)"
  local ld="-s -w" # kustomize derives its version from the embedded build info
  local key; key="$(stamp_key "$dir" "$ld")"
  if up_to_date kustomize "$key"; then log "kustomize $ver: up to date"; return; fi
  log "kustomize $ver: building"
  go_build "$dir" "$BIN" "$ld" sigs.k8s.io/kustomize/kustomize/v5
  mark kustomize "$key"
}

COMPONENTS=("$@")
[ "${#COMPONENTS[@]}" -gt 0 ] || COMPONENTS=(etcd kwok kustomize k8s)
T0=$SECONDS
log "go $GO_VERSION, cache $ROOT, GOCACHE $(go env GOCACHE)"
for c in "${COMPONENTS[@]}"; do
  case "$c" in
    etcd|k8s|kwok|kustomize) "build_$c" ;;
    *) die "unknown component '$c' (etcd k8s kwok kustomize)" ;;
  esac
done
log "done in $((SECONDS - T0))s: $BIN"
echo "$BIN"
