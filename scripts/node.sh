#!/usr/bin/env bash
# Runs a script with the project's Node (24+), whatever the system Node is.
source "$(dirname "$0")/lib.sh"
exec "$(slipway_node)" --enable-source-maps "$@"
