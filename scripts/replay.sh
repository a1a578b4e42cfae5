#!/usr/bin/env bash
# Rebuilds every projection from position 0 and compares it with the live one;
# with --repair, replaces the live rows of a projection that differs with the rebuilt ones.
# Uses DATABASE_URL, or the embedded default's database when `npm start` wrote .slipway/env.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bash "$SLIPWAY_ROOT/scripts/setup.sh" >/dev/null
state="${SLIPWAY_STATE_DIR:-$SLIPWAY_ROOT/.slipway}"
if [ -z "${DATABASE_URL:-}" ] && [ -f "$state/env" ]; then set -a; source "$state/env"; set +a; fi
exec "$(slipway_node)" --enable-source-maps "$SLIPWAY_ROOT/dist/apps/telemetry/src/replay/replay-cli.js" "$@"
