#!/usr/bin/env bash
# The whole suite: unit, integration and end-to-end. Extra arguments go to jest.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bash "$SLIPWAY_ROOT/scripts/setup.sh"
cd "$SLIPWAY_ROOT"
# NestJS 12 and MikroORM 7 ship ES modules only; jest loads them from CommonJS test code
# through Node's require(esm), which needs the VM modules flag under jest.
export NODE_OPTIONS="--experimental-vm-modules --no-warnings ${NODE_OPTIONS:-}"
exec "$(slipway_node)" node_modules/jest/bin/jest.js --ci "$@"
