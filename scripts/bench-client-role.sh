#!/usr/bin/env bash
# The client-role cases of sections 1-7 and 10 against one real client: Python websockets' client, driven by its
# fuzzingserver driver loop (Tests/Peers/clients/websockets_client.py, one case at a time, as client libraries run
# Autobahn|Testsuite's) against `wsspec serve-suite`, then the same cases through `run-client --exec` (a process a
# case, --jobs 2) and, beside them, against the built-in client in-process (`run-client --sim`). Wall time, and the
# server's CPU beside the client's. scripts/bench.sh runs it when named: scripts/bench.sh client-role.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES='1.*,2.*,3.*,4.*,5.*,6.*,7.*,10.*'
swift build -c release --product wsspec >/dev/null
wsspec="$(swift build -c release --show-bin-path)/wsspec"
python=${PEERS_PYTHON:-.build-peers/venv/bin/python}
[ -x "$python" ] || scripts/peers.sh install >/dev/null
work=$(mktemp -d)
trap 'kill "$(cat "$work/server.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT
TIMEFORMAT="%R %U %S"

# The server's CPU time, read when it exits (it stops itself after the agent's /updateReports).
( TIMEFORMAT="%U %S"; { time "$wsspec" serve-suite --port 0 --cases "$CASES" --exit-after-agents 1 --format json \
      --report-dir "$work/loop" >"$work/server.log" 2>&1; } 2>"$work/server.time" ) &
echo $! >"$work/server.pid"
url=$(scripts/wait-for-url.sh "$work/server.log") || { echo "serve-suite did not start:"; cat "$work/server.log"; exit 1; }
count=$("$wsspec" list --role client --cases "$CASES" | tail -1 | cut -d' ' -f1)
loop=$( { time "$python" Tests/Peers/clients/websockets_client.py "${url%/}" websockets >"$work/client.log" 2>&1; } 2>&1 )
wait "$(cat "$work/server.pid")" || true
server_cpu=$(awk '{ print $1 + $2 }' "$work/server.time")
read -r wall user system <<<"$loop"
awk -v n="$count" -v w="$wall" -v u="$user" -v s="$system" -v c="$server_cpu" 'BEGIN {
    printf "serve-suite + the websockets driver loop, %d cases one at a time: wall %5.1f s; server CPU %5.1f s, client CPU %5.1f s\n",
           n, w, c, u + s }'

exec_run=$( { time "$wsspec" run-client --exec "$python Tests/Peers/clients/websockets_client.py {url}" --cases "$CASES" --jobs 2 \
                --format json --report-dir "$work/exec" >"$work/exec.log" 2>&1; } 2>&1 ) || true
read -r wall user system <<<"$exec_run"
awk -v n="$count" -v w="$wall" 'BEGIN { printf "run-client --exec (a Python process a case, --jobs 2), %d cases:     wall %5.1f s\n", n, w }'

sim=$( { time "$wsspec" run-client --sim --cases "$CASES" --jobs 2 --format json --report-dir "$work/sim" >"$work/sim.log" 2>&1; } 2>&1 ) || {
    echo "the built-in client did not pass:"; tail -5 "$work/sim.log"; exit 1; }
read -r wall user system <<<"$sim"
awk -v n="$count" -v w="$wall" 'BEGIN { printf "run-client --sim (the built-in client, in-process), %d cases:        wall %5.1f s\n", n, w }'
echo "reference: Autobahn|Testsuite's fuzzingserver takes about 10 s for these cases against a fast client (issue 19)"
