#!/usr/bin/env bash
# The whole suite: unit, integration and end-to-end. Extra arguments go to jest.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bash "$SLIPWAY_ROOT/scripts/setup.sh"
cd "$SLIPWAY_ROOT"
# NestJS 12 and MikroORM 7 ship ES modules only; jest loads them from CommonJS test code
# through Node's require(esm), which needs the VM modules flag under jest.
# Each file's heap is printed after it: what files leave behind adds up in the process that
# runs them (jest.config.js restarts it past a bound; before, a whole run's heap passed Node's
# default 4 GiB near its end, 2026-12-07). The room to 8 GiB is for one file's worth more.
export NODE_OPTIONS="--experimental-vm-modules --no-warnings --max-old-space-size=8192 ${NODE_OPTIONS:-}"
exec "$(slipway_node)" node_modules/jest/bin/jest.js --ci --logHeapUsage "$@"
