#!/usr/bin/env bash
# What hostile clients can do to a server built on SessionServer: for each behaviour of
# Tests/Hostile/hostile_client.py (and all of them at once), a fresh server is attacked for SECONDS (15) while a
# well-behaved client probes it every half second. Printed per behaviour: the server's peak memory (VmHWM),
# whether it is still up, the probes that failed and the slowest probe.
#
# Two servers, both with the default ConnectionLimits: the reference echo server (`wsspec serve`) and the
# example application's router (`chat-example`, route /echo).
#
#   scripts/bench-hostile-clients.sh
#   MODES="pings bomb" SERVERS=serve SECONDS_PER_MODE=10 scripts/bench-hostile-clients.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product wsspec 2>&1 | grep -E "error:|Build complete" || true
swift build -c release --product chat-example 2>&1 | grep -E "error:|Build complete" || true
bin="$(swift build -c release --show-bin-path)"
modes=${MODES:-slow idle pings halfclose length bomb held fragments mix}
servers=${SERVERS:-serve router}
seconds=${SECONDS_PER_MODE:-15}
work=$(mktemp -d)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
printf '%-7s %-10s %10s %5s %14s %9s\n' server behaviour "peak RSS" up "probes failed" "worst"
for server in $servers; do
    for mode in $modes; do
        port=$(free_port)
        if [ "$server" = serve ]; then
            "$bin/wsspec" serve --port "$port" >"$work/server.out" 2>&1 &
            path=/
        else
            "$bin/chat-example" "$port" >"$work/server.out" 2>&1 &
            path=/echo
        fi
        pid=$!
        echo $pid >"$work/server.pid"
        for _ in $(seq 100); do grep -q "ws://" "$work/server.out" 2>/dev/null && break; sleep 0.1; done
        line=$(python3 -u Tests/Hostile/hostile_client.py "$mode" "$port" "$path" "$seconds" 2>"$work/client.err" | tail -1)
        up=yes
        kill -0 "$pid" 2>/dev/null || up=no
        hwm=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status" 2>/dev/null || echo "?")
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        probes=$(sed -n 's/.*probes=\([0-9]*\).*/\1/p' <<<"$line")
        failed=$(sed -n 's/.*failed=\([0-9]*\).*/\1/p' <<<"$line")
        worst=$(sed -n 's/.*worst_ms=\([0-9]*\).*/\1/p' <<<"$line")
        printf '%-7s %-10s %6s MiB %5s %8s of %-3s %6s ms\n' "$server" "$mode" "$hwm" "$up" "${failed:-?}" "${probes:-?}" "${worst:-?}"
    done
done
