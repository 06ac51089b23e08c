#!/usr/bin/env bash
# The one test command: builds everything (failing on any warning in wsspec's own code) and runs every test.
# Installs what it needs when it is missing, so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v swift >/dev/null || { echo "error: the Swift toolchain (swift) is not on PATH" >&2; exit 2; }
command -v python3 >/dev/null || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "installing: ${need_apt[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== build (debug, with tests)"
if ! swift build --build-tests 2>&1 | tee "$log" | grep -E "error:|warning:|Compiling|Build complete" | grep -v "^\[" ; then :; fi
if grep -q "error:" "$log"; then echo "build failed" >&2; exit 1; fi
# Swift 6 language mode and no warnings: any warning in our own sources fails the run.
here=$(pwd)
if grep -E "^${here}/(Sources|Tests)/.*warning:" "$log" >/dev/null; then
    echo "warnings in wsspec's own code:" >&2
    grep -E "^${here}/(Sources|Tests)/.*warning:" "$log" | sort -u >&2
    exit 1
fi

echo "== WebSocketCore is sans-IO"
scripts/check-core-purity.sh

echo "== fixtures are up to date"
python3 scripts/fixtures/make_utf8_vectors.py >/dev/null
git diff --quiet -- Fixtures/ 2>/dev/null || { echo "Fixtures/ differ from their generator's output" >&2; git diff --stat -- Fixtures/ >&2; exit 1; }

echo "== swift test"
swift test --skip-build --disable-xctest 2>&1 | grep -vE "^(◇|􀟈)|started\.$"
status=${PIPESTATUS[0]}
exit "$status"
