#!/usr/bin/env bash
# Runs the Swift test suite under AddressSanitizer and under ThreadSanitizer, each in its own scratch path.
#   scripts/sanitizers.sh [address|thread]...   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
for sanitizer in "${@:-address thread}"; do
  for s in $sanitizer; do
    echo "== swift test --sanitize=$s"
    # LeakSanitizer is on. scripts/lsan-suppressions.txt is where a leak outside our code would be listed
    # (none is needed today: see docs/fuzzing.md).
    SWIFT_BACKTRACE=enable=no \
    ASAN_OPTIONS="detect_leaks=1" LSAN_OPTIONS="suppressions=$here/scripts/lsan-suppressions.txt:print_suppressions=0" \
    TSAN_OPTIONS="halt_on_error=1" \
        swift test --sanitize="$s" --scratch-path ".build-$s" --disable-xctest -Xswiftc -use-ld=lld 2>&1 \
        | grep -vE "^(◇|􀟈)|started\.$|^\[[0-9]+/[0-9]+\]|^Compiling|^Building|^Write"
  done
done
