#!/usr/bin/env bash
# Runs the Swift test suite under AddressSanitizer and under ThreadSanitizer, each in its own scratch path.
#   scripts/sanitizers.sh [address|thread]...   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
for sanitizer in "${@:-address thread}"; do
  for s in $sanitizer; do
    # The in-process suites, then the live ones in a process of their own (as in scripts/test.sh). Under
    # ThreadSanitizer (5-15x slower) the two live suites that judge whole runs against real-time deadlines
    # are left out; the hostile-server suite still drives the NIO transport and server through every path.
    live_filter=(--filter WebSocketNIOTests)
    [ "$s" = thread ] && live_filter+=(--skip 'LoopbackConformanceTests|CommandTests')
    for selection in "--skip WebSocketNIOTests" "${live_filter[*]}"; do
      echo "== swift test --sanitize=$s $selection"
      # LeakSanitizer is on. scripts/lsan-suppressions.txt and scripts/tsan-suppressions.txt list the reports
      # that come from outside our code, each with its reason (see docs/fuzzing.md).
      # shellcheck disable=SC2086
      SWIFT_BACKTRACE=enable=no \
      ASAN_OPTIONS="detect_leaks=1" LSAN_OPTIONS="suppressions=$here/scripts/lsan-suppressions.txt:print_suppressions=0" \
      TSAN_OPTIONS="halt_on_error=1:suppressions=$here/scripts/tsan-suppressions.txt" \
          swift test --sanitize="$s" --scratch-path ".build-$s" --disable-xctest -Xswiftc -use-ld=lld $selection 2>&1 \
          | grep -vE "^(◇|􀟈)|started\.$|^\[[0-9]+/[0-9]+\]|^Compiling|^Building|^Write"
    done
  done
done
