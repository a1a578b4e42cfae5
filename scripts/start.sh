#!/usr/bin/env bash
# The embedded default: Postgres, NATS JetStream and every app on this machine,
# data under .slipway/, the gateway on :8080 (SLIPWAY_PORT).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bash "$SLIPWAY_ROOT/scripts/setup.sh"
exec "$(slipway_node)" --enable-source-maps "$SLIPWAY_ROOT/dist/libs/local-stack/src/embedded-cli.js"
