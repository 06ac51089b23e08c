#!/usr/bin/env bash
# Runs the Swift test suites under the sanitizers, each on what it protects (each in its own scratch path):
#   address: the in-process suites, where the unsafe code is (the frame parser, the masking and UTF-8 kernels,
#            zlib, the report readers), with LeakSanitizer on;
#   thread:  the live suites, where the threads are (NIO's event loops, the NIO transport and server, the live
#            runner, the serve-suite host), less the two that judge whole runs against real-time deadlines.
#   scripts/sanitizers.sh [address|thread]...   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
for sanitizer in "${@:-address thread}"; do
  for s in $sanitizer; do
    case "$s" in
      address) selection="--skip WebSocketNIOTests" ;;
      # Under ThreadSanitizer (5-15x slower) the hostile-server suite still drives the NIO transport and server
      # through every path; fuzzing and shrinking each hostile server (about 20 MiB of flood a case, for minutes)
      # adds no thread the other fuzz tests do not run.
      thread) selection="--filter WebSocketNIOTests --skip LoopbackConformanceTests|CommandTests|aHostileServerIsFoundAndShrunk" ;;
      *) echo "unknown sanitizer: $s" >&2; exit 2 ;;
    esac
    echo "== swift test --sanitize=$s $selection"
    # scripts/lsan-suppressions.txt and scripts/tsan-suppressions.txt list the reports that come from outside our
    # code, each with its reason (see docs/fuzzing.md).
    # shellcheck disable=SC2086
    SWIFT_BACKTRACE=enable=no \
    ASAN_OPTIONS="detect_leaks=1" LSAN_OPTIONS="suppressions=$here/scripts/lsan-suppressions.txt:print_suppressions=0" \
    TSAN_OPTIONS="halt_on_error=1:suppressions=$here/scripts/tsan-suppressions.txt" \
        swift test --sanitize="$s" --scratch-path ".build-$s" --disable-xctest -Xswiftc -use-ld=lld $selection 2>&1 \
        | grep -vE "^(◇|􀟈)|started\.$|^\[[0-9]+/[0-9]+\]|^Compiling|^Building|^Write"
    status=${PIPESTATUS[0]}
    [ "$status" -eq 0 ] || exit "$status"
  done
done
