#!/usr/bin/env bash
# Rebuilds every projection from position 0 and compares it with the live one;
# with --repair, replaces the live rows of a projection that differs with the rebuilt ones.
# Uses DATABASE_URL, or the embedded default's database when `npm start` wrote .slipway/env
# (started for the replay alone while npm start is stopped).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bash "$SLIPWAY_ROOT/scripts/setup.sh" >/dev/null
state="${SLIPWAY_STATE_DIR:-$SLIPWAY_ROOT/.slipway}"
replay="$SLIPWAY_ROOT/dist/apps/telemetry/src/replay/replay-cli.js"
if [ -z "${DATABASE_URL:-}" ] && [ -f "$state/env" ]; then
  exec "$(slipway_node)" --enable-source-maps "$SLIPWAY_ROOT/dist/libs/local-stack/src/database-alone-cli.js" "$state" "$replay" "$@"
fi
exec "$(slipway_node)" --enable-source-maps "$replay" "$@"
