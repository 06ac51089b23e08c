#!/usr/bin/env bash
# Fuzzing throughput: conversations a second (`wsspec fuzz`, a fixed seed and count, 4 at a time) against the built-in
# reference server over loopback, against Python websockets (the peer matrix's), and in-process on the simulated
# network, with the ratio of each to the reference server's. scripts/bench.sh runs it when named: scripts/bench.sh fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-3000}
swift build -c release --product wsspec >/dev/null
wsspec="$(swift build -c release --show-bin-path)/wsspec"
work=$(mktemp -d)
trap 'kill "$(cat "$work/serve.pid" 2>/dev/null)" 2>/dev/null || true; PEERS=websockets scripts/peers.sh stop "$work/peers" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$wsspec" serve --port 0 >"$work/serve.log" 2>&1 &
echo $! >"$work/serve.pid"
reference=$(scripts/wait-for-url.sh "$work/serve.log") || { echo "wsspec serve did not start:"; cat "$work/serve.log"; exit 1; }
PEERS=websockets scripts/peers.sh start "$work/peers" >/dev/null
websockets=$(PEERS=websockets scripts/peers.sh urls "$work/peers" | awk '$1 == "websockets" { print $2 }')

# Conversations a second, from the fuzz run's closing line (status 1, findings, is a run like any other here).
rate() {
    { "$wsspec" fuzz "$@" --count "$COUNT" --seed 1 --jobs 4 --report-dir "$work/report" 2>/dev/null || true; } \
        | sed -n 's/.*conversations in .* s (\([0-9]*\) a second).*/\1/p'
}
ours=$(rate "$reference")
theirs=$(rate "$websockets")
simulated=$(rate --sim)
awk -v n="$COUNT" -v r="$ours" -v w="$theirs" -v s="$simulated" 'BEGIN {
    printf "fuzz, %d conversations, 4 at a time: reference server %d/s; Python websockets %d/s (%.2fx); in-process %d/s (%.2fx)\n",
           n, r, w, w / r, s, s / r }'
