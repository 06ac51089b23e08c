#!/usr/bin/env bash
# WebSocketCore is sans-IO: it never touches a socket, a clock or a random source of its own.
# Fails when a file in it imports NIO or uses a clock or an unseeded random API.
set -euo pipefail
cd "$(dirname "$0")/.."
core=(Sources/WebSocketCore Sources/CWebSocketKernels)
forbidden='import +NIO|ContinuousClock|SuspendingClock|Date\(|Date\.now|DispatchTime|DispatchQueue|SystemRandomNumberGenerator|arc4random|getrandom|clock_gettime|gettimeofday|\btime\(|\brand\(|import +(Glibc|Darwin|Dispatch)\b'
status=0
if grep -rnE "$forbidden" "${core[@]}"; then status=1; fi
# Random values only from a generator the caller passes in.
if grep -rnE '\.random\(' "${core[@]}" | grep -v 'using:'; then status=1; fi
if [ $status -ne 0 ]; then echo "WebSocketCore must not use the lines above (sans-IO: clocks and randomness come from the caller)" >&2; fi
exit $status
