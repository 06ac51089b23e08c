#!/usr/bin/env bash
# Builds the benchmark executable in release mode and prints figures with their ratios.
#   scripts/bench.sh [decode fragmented utf8 echo transfer catalog loopback load report handler hummingbird]   (default: all)
#   scripts/bench.sh full-load   12.x + 13.x --full-load against a real server (minutes; scripts/bench-full-load.sh)
#   scripts/bench.sh client-role sections 1-7 and 10 against a real client (scripts/bench-client-role.sh)
#   scripts/bench.sh fuzz        fuzzing conversations a second: reference server, Python websockets, in-process
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = full-load ]; then exec scripts/bench-full-load.sh; fi
if [ "${1:-}" = client-role ]; then exec scripts/bench-client-role.sh; fi
if [ "${1:-}" = fuzz ]; then exec scripts/bench-fuzz.sh; fi
# With the Hummingbird trait: the Hummingbird figure compares against its own test client.
swift build -c release --traits Hummingbird --product WSSpecBenchmarks
"$(swift build -c release --show-bin-path)/WSSpecBenchmarks" "$@"
