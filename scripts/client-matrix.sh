#!/usr/bin/env bash
# The client matrix: real WebSocket clients under test, each driven by a driver loop of the form client libraries
# use against Autobahn|Testsuite's fuzzingserver (Tests/Peers/clients/NAME_client.py), against
# `wsspec serve-suite`; every verdict is checked against the client's golden file (Fixtures/peers/clients/NAME.json,
# see scripts/peer_golden.py).
#
#   scripts/client-matrix.sh            run and check; exit 1 on any verdict that differs from the golden files
#   scripts/client-matrix.sh --update   run and rewrite the golden files
#
# WSSPEC names the wsspec binary (default: the debug build); the clients run in the peers' venv
# (scripts/peers.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=check
[ "${1:-}" = "--update" ] && mode=update

wsspec=${WSSPEC:-}
if [ -z "$wsspec" ]; then
    wsspec="$(swift build --show-bin-path)/wsspec"
    [ -x "$wsspec" ] || swift build --product wsspec >/dev/null
fi
python=${PEERS_PYTHON:-.build-peers/venv/bin/python}
[ -x "$python" ] || scripts/peers.sh install >/dev/null

work=$(mktemp -d)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
status=0
names=()
for driver in Tests/Peers/clients/*_client.py; do
    name=$(basename "$driver" _client.py)
    names+=("$name")
    mapfile -t arguments < <(python3 -c 'import json,sys; sys.stdout.write("".join(a + "\n" for a in json.load(open(sys.argv[1]))["arguments"]))' \
        "Fixtures/peers/clients/$name.json")
    "$wsspec" serve-suite --port 0 "${arguments[@]}" --exit-after-agents 1 --format json \
        --report-dir "$work/runs/$name" >"$work/$name.server" 2>&1 &
    echo $! >"$work/$name.pid"
    url=""
    for _ in $(seq 100); do
        url=$(sed -n 's/.* on \(ws:\/\/[^ ]*\) .*/\1/p' "$work/$name.server")
        [ -n "$url" ] && break
        sleep 0.1
    done
    if [ -z "$url" ]; then echo "wsspec serve-suite did not start:" >&2; cat "$work/$name.server" >&2; exit 1; fi
    set +e
    timeout 900 "$python" "$driver" "${url%/}" "$name" >"$work/$name.client" 2>&1
    client=$?
    wait "$(cat "$work/$name.pid")"
    set -e
    if [ $client -ne 0 ] || [ ! -f "$work/runs/$name/index.json" ]; then
        echo "the $name client's driver failed (status $client):" >&2
        tail -5 "$work/$name.client" "$work/$name.server" >&2
        status=1
    fi
done
[ $status -eq 0 ] || exit $status
python3 scripts/peer_golden.py "$mode" Fixtures/peers/clients "$work/runs" "${names[@]}" || status=$?
if [ "$mode" = check ] && [ $status -eq 0 ]; then
    # The gate must be able to fail: with one golden verdict changed, the same runs must not pass.
    mkdir -p "$work/altered"
    cp Fixtures/peers/clients/*.json "$work/altered/"
    python3 - "$work/altered/${names[0]}.json" <<'PY'
import json, sys
document = json.load(open(sys.argv[1]))
case = document["cases"]["1.1.1"]
case["behavior"] = "FAILED" if case["behavior"] != "FAILED" else "OK"
json.dump(document, open(sys.argv[1], "w"))
PY
    if python3 scripts/peer_golden.py check "$work/altered" "$work/runs" "${names[0]}" >/dev/null; then
        echo "the golden check passed a run against an altered golden file" >&2
        status=1
    fi
fi
exit $status
