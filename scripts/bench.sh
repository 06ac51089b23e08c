#!/usr/bin/env bash
# Builds the benchmark executable in release mode and prints figures with their ratios.
#   scripts/bench.sh [decode utf8 echo transfer catalog loopback load report handler]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product WSSpecBenchmarks
"$(swift build -c release --show-bin-path)/WSSpecBenchmarks" "$@"
