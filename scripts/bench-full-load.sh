#!/usr/bin/env bash
# 12.x + 13.x with --full-load (Autobahn|Testsuite's 1000 messages a case) against one real server of the peer
# matrix: wall time, and the harness's CPU beside the server's. Minutes long, so scripts/bench.sh runs it only
# when named: scripts/bench.sh full-load.
#   PEER (default websockets) picks the server; JOBS (default "1 8") the --jobs values to try.
set -euo pipefail
cd "$(dirname "$0")/.."
PEER=${PEER:-websockets}
JOBS=${JOBS:-"1 8"}
swift build -c release --product wsspec >/dev/null
wsspec="$(swift build -c release --show-bin-path)/wsspec"
[ -x "${PEERS_VENV:-.build-peers/venv}/bin/python" ] || scripts/peers.sh install
state=$(mktemp -d)
trap 'PEERS="$PEER" scripts/peers.sh stop "$state" >/dev/null 2>&1 || true; rm -rf "$state"' EXIT
PEERS="$PEER" scripts/peers.sh start "$state" >/dev/null
url=$(PEERS="$PEER" scripts/peers.sh urls "$state" | awk -v p="$PEER" '$1 == p { print $2 }')
pid=$(cat "$state/$PEER.pid")
ticks=$(getconf CLK_TCK)
server_cpu() { awk -v t="$ticks" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$pid/stat"; }

echo "12.x + 13.x --full-load against $PEER ($url)"
for jobs in $JOBS; do
    before=$(server_cpu)
    TIMEFORMAT="%R %U %S"
    figures=$( { time "$wsspec" run "$url" --cases '12.*,13.*' --full-load --jobs "$jobs" --format json \
                   --report-dir "$state/report-$jobs" >"$state/run-$jobs.log" 2>&1; } 2>&1 ) || {
        echo "the run with --jobs $jobs did not pass:"; tail -5 "$state/run-$jobs.log"; exit 1; }
    after=$(server_cpu)
    read -r wall user system <<<"$figures"
    awk -v j="$jobs" -v w="$wall" -v u="$user" -v s="$system" -v b="$before" -v a="$after" 'BEGIN {
        harness = u + s; server = a - b
        printf "--jobs %-2s wall %7.1f s; harness CPU %6.1f s, server CPU %6.1f s (harness/server %3.0f %%)\n",
               j, w, harness, server, 100 * harness / server }'
done
echo "targets: wall under half of Autobahn|Testsuite's on the same work (741 s against websockets on the"
echo "2-core machine of docs/decisions.md; scripts/agreement.sh --full-load measures it); harness CPU < 25 % of the server's"
