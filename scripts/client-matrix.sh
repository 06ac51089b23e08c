#!/usr/bin/env bash
# The client matrix: real WebSocket clients under test, each driven by a driver loop of the form client libraries
# use against Autobahn|Testsuite's fuzzingserver (Tests/Peers/clients/NAME_client.py in the peers' venv,
# Tests/Peers/clients/NAME_client.js on Node with Debian's node-ws), each against its own `wsspec serve-suite`;
# every verdict is checked against the client's golden file (Fixtures/peers/clients/NAME.json, see
# scripts/peer_golden.py).
#
#   scripts/client-matrix.sh            run and check; exit 1 on any verdict that differs from the golden files
#   scripts/client-matrix.sh --update   run and rewrite the golden files (reasons of unchanged verdicts are kept;
#                                       new non-OK verdicts get a TODO that the check refuses until written)
#
# WSSPEC names the wsspec binary (default: the debug build); CLIENT_JOBS how many clients run at once (default 2,
# each with its own serve-suite); CLIENTS chooses a subset (space-separated names). The Python clients run in the
# peers' venv (scripts/peers.sh installs it and node-ws).
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
if [ ! -x "$python" ] || ! command -v node >/dev/null || [ ! -f /usr/share/nodejs/ws/package.json ]; then
    scripts/peers.sh install >/dev/null
fi
jobs=${CLIENT_JOBS:-2}

drivers=()
names=()
for driver in Tests/Peers/clients/*_client.py Tests/Peers/clients/*_client.js; do
    [ -f "$driver" ] || continue
    name=$(basename "$driver"); name=${name%_client.*}
    if [ -n "${CLIENTS:-}" ] && [[ " $CLIENTS " != *" $name "* ]]; then continue; fi
    drivers+=("$driver")
    names+=("$name")
done
[ ${#names[@]} -gt 0 ] || { echo "no client drivers to run" >&2; exit 2; }

work=$(mktemp -d)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

# One client against its own serve-suite. Writes NAME.status (the driver's exit status, or "no report") and
# NAME.seconds; its output stays in NAME.server and NAME.client.
run_client() {
    local driver=$1 name=$2 url="" started=$SECONDS client server
    local -a arguments command
    mapfile -t arguments < <(python3 -c 'import json,sys; sys.stdout.write("".join(a + "\n" for a in json.load(open(sys.argv[1]))["arguments"]))' \
        "Fixtures/peers/clients/$name.json")
    case "$driver" in
        *.js) command=(env NODE_PATH=/usr/share/nodejs node "$driver") ;;
        *) command=("$python" "$driver") ;;
    esac
    "$wsspec" serve-suite --port 0 "${arguments[@]}" --exit-after-agents 1 --format json \
        --report-dir "$work/runs/$name" >"$work/$name.server" 2>&1 &
    echo $! >"$work/$name.pid"
    if ! url=$(scripts/wait-for-url.sh "$work/$name.server"); then
        kill "$(cat "$work/$name.pid")" 2>/dev/null || true
        echo "server did not start" >"$work/$name.status"
        return
    fi
    set +e
    timeout 900 "${command[@]}" "${url%/}" "$name" >"$work/$name.client" 2>&1
    client=$?
    # The server exits once the driver has asked for updateReports; a driver that failed before that leaves it
    # waiting, so it gets 30 s, then is stopped.
    server=$(cat "$work/$name.pid")
    for _ in $(seq 300); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill "$server" 2>/dev/null
    wait "$server"
    set -e
    rm -f "$work/$name.pid"
    echo $((SECONDS - started)) >"$work/$name.seconds"
    if [ $client -ne 0 ]; then echo "driver status $client" >"$work/$name.status"
    elif [ ! -f "$work/runs/$name/index.json" ]; then echo "no report" >"$work/$name.status"
    else echo ok >"$work/$name.status"; fi
}

# A client's status; a run_client that ended without writing one (it died: set -e, a signal) failed.
status_of() { cat "$work/$1.status" 2>/dev/null || echo "ended without a status"; }

# At most $jobs clients at once; each line below is printed once its client is done.
report() {
    local name=$1
    if [ "$(status_of "$name")" = ok ]; then
        echo "$name: the driver ran every case in $(cat "$work/$name.seconds") s"
    else
        echo "$name: the driver failed ($(status_of "$name")):" >&2
        tail -n 5 "$work/$name.client" "$work/$name.server" >&2 2>/dev/null || true
    fi
}
# A client is done when its run_client process has ended, whether or not it wrote a status.
declare -A job=()
running=()
for index in "${!names[@]}"; do
    while [ ${#running[@]} -ge "$jobs" ]; do
        wait -n || true
        still=()
        for name in "${running[@]}"; do
            if kill -0 "${job[$name]}" 2>/dev/null; then still+=("$name"); else report "$name"; fi
        done
        running=("${still[@]}")
    done
    run_client "${drivers[$index]}" "${names[$index]}" &
    job[${names[$index]}]=$!
    running+=("${names[$index]}")
done
wait
for name in "${running[@]}"; do report "$name"; done
status=0
for name in "${names[@]}"; do [ "$(status_of "$name")" = ok ] || status=1; done
[ $status -eq 0 ] || exit $status

python3 scripts/peer_golden.py "$mode" Fixtures/peers/clients "$work/runs" "${names[@]}" || status=$?
# `wsspec run-client --exec`: the websockets client again, a process a case, two at a time; its verdicts must be
# the same golden ones (exit 1 is expected, the client fails a few cases; 2 would mean the command could not run).
if [ "$mode" = check ] && [[ " ${names[*]} " == *" websockets "* ]]; then
    set +e
    "$wsspec" run-client --exec "$python Tests/Peers/clients/websockets_client.py {url}" --agent websockets --jobs 2 \
        --format json --report-dir "$work/exec/websockets" >"$work/exec.log" 2>&1
    exec_status=$?
    set -e
    if [ $exec_status -gt 1 ]; then echo "run-client --exec failed (status $exec_status):" >&2; tail -n 5 "$work/exec.log" >&2; status=1
    else
        echo "run-client --exec, websockets:"
        python3 scripts/peer_golden.py check Fixtures/peers/clients "$work/exec" websockets || status=1
    fi
fi
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
