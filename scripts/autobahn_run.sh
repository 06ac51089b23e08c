#!/usr/bin/env bash
# Autobahn|Testsuite 0.8.2's fuzzingclient against the peer matrix's echo servers (scripts/peers.sh), one peer
# at a time, each bounded by a timeout; only the Autobahn half of scripts/agreement.sh, for the fixtures in
# Fixtures/peers/autobahn/ (scripts/autobahn_fixture.py turns the reports into them).
#
#   scripts/autobahn_run.sh OUT [SECTIONS [PEER...]]
#
#   OUT        where everything goes: OUT/PEER/autobahn/index.json (Autobahn's report), OUT/PEER/autobahn.log,
#              OUT/PEER/peers/ (the peer's port, pid and log), OUT/PEER/status (exit code and seconds)
#   SECTIONS   Autobahn case globs, space-separated (default "1.* 2.* 3.* 4.* 5.* 6.* 7.* 9.* 10.*");
#              "12.* 13.*" is the compression run (1000 messages a case: most of an hour per Python peer)
#   PEER       default: websockets aiohttp tornado autobahn wsproto ws hummingbird vapor
#
# TIMEOUT (seconds, default 1800) bounds each peer's wstest; a peer that runs out is noted in OUT/PEER/status
# and the next peer starts. Autobahn 0.8.2 writes its reports only at the end, so a timed-out peer has none.
# Autobahn is installed into .build-agreement/ as scripts/agreement.sh does (PYTHON27: a Python 2.7).
# Run it under `nice`: the cases themselves are what takes the time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
[ $# -ge 1 ] || { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
out=$1
sections=${2:-"1.* 2.* 3.* 4.* 5.* 6.* 7.* 9.* 10.*"}
shift $(($# >= 2 ? 2 : 1))
peers=${*:-websockets aiohttp tornado autobahn wsproto ws hummingbird vapor}
limit=${TIMEOUT:-1800}
mkdir -p "$out"
out=$(cd "$out" && pwd)

python27=${PYTHON27:-$HOME/.pyenv/versions/2.7.18/bin/python}
testsuite=.build-agreement/autobahntestsuite
if [ ! -x "$testsuite/bin/wstest" ]; then
    [ -x "$python27" ] || { echo "Python 2.7 not found at $python27 (set PYTHON27)" >&2; exit 2; }
    echo "installing: autobahntestsuite 0.8.2 into $testsuite"
    "$python27" -m pip install -q --target .build-agreement/virtualenv 'virtualenv<20.22'
    PYTHONPATH=.build-agreement/virtualenv "$python27" -m virtualenv -q "$testsuite"
    "$testsuite/bin/pip" install -q autobahntestsuite==0.8.2
fi
wstest=$root/$testsuite/bin/wstest

current=""
trap '[ -z "$current" ] || scripts/peers.sh stop "$current"' EXIT
echo "$(date -u +%FT%TZ) sections: $sections; peers: $peers; timeout ${limit}s a peer"
for peer in $peers; do
    work=$out/$peer
    rm -rf "$work/autobahn"
    mkdir -p "$work"
    current=$work/peers
    PEERS=$peer scripts/peers.sh start "$current"
    url=$(PEERS=$peer scripts/peers.sh urls "$current" | cut -d' ' -f2)
    python3 -c '
import json, sys
work, peer, url, sections = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
json.dump({"outdir": work + "/autobahn", "servers": [{"agent": peer, "url": url}], "cases": sections,
           "exclude-cases": [], "exclude-agent-cases": {}}, open(work + "/fuzzingclient.json", "w"), indent=1)
' "$work" "$peer" "$url" $sections
    echo "$(date -u +%FT%TZ) $peer ($url): started"
    start=$(date +%s)
    set +e
    (cd "$work" && timeout --kill-after=30 "$limit" "$wstest" -m fuzzingclient -s fuzzingclient.json >autobahn.log 2>&1)
    code=$?
    set -e
    seconds=$(($(date +%s) - start))
    scripts/peers.sh stop "$current"
    current=""
    state=done
    if [ $code -eq 124 ] || [ $code -eq 137 ]; then state="TIMED OUT after ${limit}s"; fi
    [ -f "$work/autobahn/index.json" ] || state="$state, no index.json"
    echo "exit=$code seconds=$seconds $state" >"$work/status"
    echo "$(date -u +%FT%TZ) $peer: exit $code, ${seconds}s, $state"
done
