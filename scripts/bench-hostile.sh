#!/usr/bin/env bash
# What a hostile server can do to the harness: for each behaviour of Tests/Hostile/hostile_server.py, one
# `wsspec run` of five cases (two of them offering permessage-deflate) with --case-timeout 5, and its peak
# memory (maximum resident set size), wall time, exit status and the largest file of its report.
#
#   scripts/bench-hostile.sh             every behaviour
#   MODES="flood bomb" scripts/bench-hostile.sh
# WSSPEC chooses the binary (default: a release build).
set -euo pipefail
cd "$(dirname "$0")/.."
wsspec=${WSSPEC:-}
if [ -z "$wsspec" ]; then
    swift build -c release --product wsspec 2>&1 | grep -E "error:|Build complete" || true
    wsspec="$(swift build -c release --show-bin-path)/wsspec"
fi
modes=${MODES:-flood pings fragments huge empty bomb}
cases=${CASES:-1.1.1,1.1.2,1.1.3,12.1.1,13.1.1}
work=$(mktemp -d)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
printf '%-10s %10s %8s %6s %14s\n' behaviour "peak RSS" wall status "largest file"
for mode in $modes; do
    python3 -u Tests/Hostile/hostile_server.py "$mode" >"$work/$mode.port" 2>"$work/$mode.err" &
    echo $! >"$work/$mode.pid"
    for _ in $(seq 100); do [ -s "$work/$mode.port" ] && break; sleep 0.1; done
    port=$(head -1 "$work/$mode.port")
    set +e
    /usr/bin/time -f "%M %e" -o "$work/$mode.time" "$wsspec" run "ws://127.0.0.1:$port/" --cases "$cases" --case-timeout 5 \
        --jobs 5 --no-probe --report-dir "$work/$mode-reports" >"$work/$mode.out" 2>&1
    status=$?
    set -e
    kill "$(cat "$work/$mode.pid")" 2>/dev/null || true
    read -r rss wall < <(tail -1 "$work/$mode.time")
    largest=$(find "$work/$mode-reports" -type f -printf '%s\n' 2>/dev/null | sort -n | tail -1)
    printf '%-10s %7d MiB %7ss %6d %10d KiB\n' "$mode" $((rss / 1024)) "$wall" "$status" $(( ${largest:-0} / 1024 ))
done
