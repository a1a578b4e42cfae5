#!/usr/bin/env bash
# Installs what a fresh machine lacks: Postgres server binaries, a current nats-server,
# Node 24 and the npm dependencies, then compiles. Idempotent and quiet when all is there.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$SLIPWAY_ROOT"

# The server's own binary: postgresql-client makes the bin directory too.
find_pg_bin() { ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -1; }

apt_install() {
  if command -v apt-get >/dev/null; then
    log "installing $* with apt"
    [ -n "${SLIPWAY_APT_UPDATED:-}" ] || { apt-get update -qq; export SLIPWAY_APT_UPDATED=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    log "missing: $* — install them with your package manager (see README)"; exit 1
  fi
}

if [ -z "${DATABASE_URL:-}" ] && [ -z "$(find_pg_bin)" ] && ! command -v initdb >/dev/null; then
  apt_install postgresql
  # Debian starts a cluster of its own on 5432; Slipway runs its own instances instead.
  command -v systemctl >/dev/null && systemctl disable --now postgresql >/dev/null 2>&1 || true
fi

if [ -z "${NATS_URL:-}" ] && [ ! -x "$NATS_BIN" ]; then
  if command -v go >/dev/null; then
    log "building nats-server $NATS_VERSION into $SLIPWAY_CACHE (once per machine)"
    GOBIN="$(dirname "$NATS_BIN")" CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
      go install -trimpath -ldflags='-s -w' "github.com/nats-io/nats-server/v2@$NATS_VERSION"
  elif ! command -v nats-server >/dev/null; then
    apt_install nats-server
  fi
fi

stamp="node_modules/.slipway-install-stamp"
if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  # npm install, not ci: npm 11 leaves other platforms' optional binaries out of the lock, which ci refuses.
  log "installing npm dependencies"
  npm install --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

slipway_node >/dev/null || { log "Node 24 is missing after npm install"; exit 1; }
log "compiling"
"$(slipway_node)" scripts/build.js
