#!/usr/bin/env bash
# Benchmarks (never part of the test suite): figures as ratios to floors measured in the same run.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bash "$SLIPWAY_ROOT/scripts/setup.sh"
exec "$(slipway_node)" --enable-source-maps "$SLIPWAY_ROOT/dist/bench/run.js" "$@"
