#!/usr/bin/env bash
# A 16 MiB message sent in 64-byte fragments by Python websockets' client, echoed by `wsspec serve` (release build)
# and by Node's ws (the peer matrix's echo server), in one run: the time of each and their ratio (target: wsspec no
# slower than Node, ratio <= 1.2). Then 1 MiB the same way, to show the cost grows with the size, not its square.
#
#   scripts/bench-fragmented-echo.sh [SIZE_MIB] [FRAGMENT]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-16}
fragment=${2:-64}
scripts/peers.sh install >/dev/null
swift build -c release --product wsspec 2>&1 | grep -E "error:" || true
wsspec="$(swift build -c release --show-bin-path)/wsspec"
python=.build-peers/venv/bin/python
work=$(mktemp -d)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

port=$(free_port)
"$wsspec" serve --port "$port" >"$work/wsspec.out" 2>&1 &
echo $! >"$work/wsspec.pid"
env NODE_PATH=/usr/share/nodejs node Tests/Peers/ws_echo.js 0 >"$work/node.out" 2>&1 &
echo $! >"$work/node.pid"
for _ in $(seq 100); do grep -q "ws://" "$work/wsspec.out" 2>/dev/null && [ -s "$work/node.out" ] && break; sleep 0.1; done
node_port=$(head -1 "$work/node.out")

for mib in "$size" 1; do
    ours=$("$python" scripts/bench_fragmented_echo.py "ws://127.0.0.1:$port/" "$mib" "$fragment" | sed -n 's/^seconds=\([0-9.]*\).*/\1/p')
    node=$("$python" scripts/bench_fragmented_echo.py "ws://127.0.0.1:$node_port/" "$mib" "$fragment" | sed -n 's/^seconds=\([0-9.]*\).*/\1/p')
    awk -v m="$mib" -v f="$fragment" -v o="$ours" -v n="$node" 'BEGIN {
        printf "%s MiB in %s-byte fragments, echoed (best of 3): wsspec serve %.3f s, Node ws %.3f s, ratio %.2f (target <= 1.2)\n",
            m, f, o, n, o / n }'
done
