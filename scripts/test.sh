#!/usr/bin/env bash
# The whole suite: unit, integration and end-to-end. Extra arguments go to jest.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bash "$SLIPWAY_ROOT/scripts/setup.sh"
cd "$SLIPWAY_ROOT"
# NestJS 12 and MikroORM 7 ship ES modules only; jest loads them from CommonJS test code
# through Node's require(esm), which needs the VM modules flag under jest.
# On two cores jest runs every file in this one process, one after another (one worker or
# fewer): what each file's apps and clients leave behind adds up, and a whole run's heap passed
# Node's default limit (4 GiB on this machine) near its end on 2026-12-07. Room to 8 GiB, and
# each file's heap printed after it, so that growth shows where it comes from.
export NODE_OPTIONS="--experimental-vm-modules --no-warnings --max-old-space-size=8192 ${NODE_OPTIONS:-}"
exec "$(slipway_node)" node_modules/jest/bin/jest.js --ci --logHeapUsage "$@"
