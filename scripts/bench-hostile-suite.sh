#!/usr/bin/env bash
# What hostile clients can do to `wsspec serve-suite` (release build), with Tests/Hostile/hostile_suite_client.py:
# - nonreaders: 40 clients open 9.1.6 (a 16 MiB message) and never read; printed: the server's peak memory
#   (VmHWM, target under 256 MiB), how many were admitted and how many got 503, and the slowest /getCaseCount probe;
# - agents: AGENTS (10000) made-up agents each run one case and ask for reports while Python websockets' driver
#   runs sections 1-7 and 10 as an honest client (before, during and after the flood); printed: the driver's times,
#   the slowest /getCaseCount probe, peak memory and the report directory's size.
#
#   scripts/bench-hostile-suite.sh [nonreaders] [agents]      (default: both)
#   AGENTS=2000 scripts/bench-hostile-suite.sh agents
set -euo pipefail
cd "$(dirname "$0")/.."
modes=${*:-nonreaders agents}
scripts/peers.sh install >/dev/null
swift build -c release --product wsspec 2>&1 | grep -E "error:" || true
wsspec="$(swift build -c release --show-bin-path)/wsspec"
python=.build-peers/venv/bin/python
work=$(mktemp -d)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cases='1.*,2.*,3.*,4.*,5.*,6.*,7.*,10.*'

# Starts serve-suite with ARGS on a free port; sets port and pid.
serve() {
    port=$(free_port)
    "$wsspec" serve-suite --port "$port" --report-dir "$work/reports" "$@" >"$work/server.out" 2>&1 &
    pid=$!
    echo $pid >"$work/server.pid"
    for _ in $(seq 100); do grep -q "ws://" "$work/server.out" 2>/dev/null && break; sleep 0.1; done
}
peak() { awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$1/status"; }
driver() {  # the honest client; prints its seconds
    local began ended
    began=$(date +%s.%N)
    "$python" Tests/Peers/clients/websockets_client.py "ws://127.0.0.1:$1" honest >/dev/null 2>&1 || true
    ended=$(date +%s.%N)
    echo "$ended - $began" | bc
}

for mode in $modes; do
    case "$mode" in
        nonreaders)
            serve --deadline 60s
            line=$("$python" -u Tests/Hostile/hostile_suite_client.py nonreaders "$port" 40 20 | tail -1)
            echo "nonreaders: $line; peak RSS $(peak "$pid") MiB"
            kill "$pid"; wait "$pid" 2>/dev/null || true ;;
        agents)
            serve --cases "$cases" --deadline 3600s
            alone=$(driver "$port")
            "$python" -u Tests/Hostile/hostile_suite_client.py agents "$port" "${AGENTS:-10000}" 16 >"$work/flood.out" 2>&1 &
            flood=$!
            sleep 10
            during=$(driver "$port")
            wait $flood
            after=$(driver "$port")
            echo "agents: $(tail -1 "$work/flood.out"); honest driver alone ${alone} s, during the flood ${during} s, after it ${after} s;" \
                "peak RSS $(peak "$pid") MiB; reports $(du -sh "$work/reports" | cut -f1)"
            kill -INT "$pid"; wait "$pid" 2>/dev/null || true ;;
        *) echo "unknown mode $mode" >&2; exit 2 ;;
    esac
done
