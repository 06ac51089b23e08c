#!/usr/bin/env bash
# Builds the benchmark executable in release mode and prints throughput figures with their ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product WSSpecBenchmarks
"$(swift build -c release --show-bin-path)/WSSpecBenchmarks"
