# Shared shell helpers: where things live and which node runs the project.
SLIPWAY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SLIPWAY_CACHE="${SLIPWAY_CACHE:-$HOME/.cache/slipway}"
NATS_VERSION="v2.15.2"
NATS_BIN="$SLIPWAY_CACHE/nats/$NATS_VERSION/nats-server"

log() { printf '[slipway %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Node 24 or newer: the system one when it is recent enough, else the one npm installed
# from the registry's `node` package (a devDependency) into node_modules/.bin.
slipway_node() {
  if command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -ge 24 ]; then
    command -v node
  elif [ -x "$SLIPWAY_ROOT/node_modules/.bin/node" ]; then
    echo "$SLIPWAY_ROOT/node_modules/.bin/node"
  else
    return 1
  fi
}
