#!/usr/bin/env bash
# The peer matrix's servers: echo servers on loopback built on eight widely used WebSocket implementations
# (Tests/Peers/*: six in Python and Node, Hummingbird and Vapor in Tests/Peers/hummingbird-echo and vapor-echo), and
# four that take WebSockets over HTTP/2 (RFC 8441), for checking wsspec's verdicts against real third-party code.
#
#   scripts/peers.sh install        the pinned venv (Tests/Peers/requirements.txt), Debian's node-ws, nghttpx and
#                                   HAProxy, and the Swift servers (built with wsspec's traits)
#   scripts/peers.sh start DIR      starts every peer on a free port; writes DIR/NAME.port, .pid and .log
#   scripts/peers.sh urls DIR       one line a peer: NAME ws://127.0.0.1:PORT/
#   scripts/peers.sh stop DIR       stops what start started
#   scripts/peers.sh names          the peers' names
#
# NAME-keepalive is the same server with its own keepalive on (pings every second, short timeouts), for 11.x.
# NAME-h2 takes WebSockets over cleartext HTTP/2 (RFC 8441, prior knowledge): Node's http2 with ws on each stream,
# Hypercorn, and Debian's nghttpx and HAProxy in front of the websockets echo server (Tests/Peers/h2_front.py).
# PEERS_VENV chooses the venv's folder (default .build-peers/venv); PEERS chooses a subset (space-separated).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${PEERS_VENV:-.build-peers/venv}
all_peers="websockets aiohttp tornado autobahn wsproto ws hummingbird vapor websockets-keepalive aiohttp-keepalive tornado-keepalive autobahn-keepalive ws-h2 hypercorn-h2 nghttpx-h2 haproxy-h2"
peers=${PEERS:-$all_peers}

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

install() {
    if ! command -v node >/dev/null || [ ! -f /usr/share/nodejs/ws/package.json ]; then
        echo "installing: node-ws (Debian)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq node-ws >/dev/null
    fi
    case " $peers " in
        *" nghttpx-h2 "*|*" haproxy-h2 "*)
            if [ ! -x /usr/sbin/nghttpx ] || [ ! -x /usr/sbin/haproxy ]; then
                echo "installing: nghttpx and HAProxy (Debian)"
                apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-proxy haproxy >/dev/null
            fi ;;
    esac
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        echo "installing: python3-venv (Debian)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    fi
    if [ ! -x "$venv/bin/python" ] || ! cmp -s Tests/Peers/requirements.txt "$venv/requirements.txt"; then
        echo "installing: the peers' Python packages into $venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q --disable-pip-version-check -r Tests/Peers/requirements.txt
        cp Tests/Peers/requirements.txt "$venv/requirements.txt"
    fi
    case " $peers " in
        *" hummingbird "*|*" vapor "*)
            # Debug, in wsspec's own build with the framework traits (scripts/test.sh builds the same, so this finds
            # them built): what a developer runs, and what shows Hummingbird's assertion on 0.7.5
            # (docs/swift-frameworks.md).
            mkdir -p .build
            if ! swift build --traits Hummingbird,Vapor --product hummingbird-echo >.build/peers-build.log 2>&1 \
                || ! swift build --traits Hummingbird,Vapor --product vapor-echo >>.build/peers-build.log 2>&1; then
                echo "the Swift peers (hummingbird-echo, vapor-echo) did not build:" >&2; tail -20 .build/peers-build.log >&2; exit 1
            fi ;;
    esac
}

command_for() {
    case "$1" in
        ws) echo "env NODE_PATH=/usr/share/nodejs node Tests/Peers/ws_echo.js 0" ;;
        websockets|aiohttp|tornado|autobahn|wsproto) echo "$venv/bin/python -u Tests/Peers/$1_echo.py 0" ;;
        hummingbird|vapor) echo ".build/debug/$1-echo 0" ;;
        ws-h2) echo "env NODE_PATH=/usr/share/nodejs node Tests/Peers/ws_h2_echo.js 0" ;;
        hypercorn-h2) echo "$venv/bin/python -u Tests/Peers/hypercorn_echo.py 0" ;;
        nghttpx-h2|haproxy-h2) echo "$venv/bin/python -u Tests/Peers/h2_front.py ${1%-h2} Tests/Peers/websockets_echo.py" ;;
        *-keepalive) echo "$venv/bin/python -u Tests/Peers/${1%-keepalive}_echo.py 0 keepalive" ;;
        *) echo "unknown peer: $1" >&2; exit 2 ;;
    esac
}

start() {
    local dir=$1
    mkdir -p "$dir"
    for name in $peers; do
        # The log exists before the peer does: the wait below reads it at once, and under `set -e -o pipefail`
        # a missing file would end this script without a word (it did, on a loaded machine).
        : >"$dir/$name.log"
        # shellcheck disable=SC2046
        setsid $(command_for "$name") >>"$dir/$name.log" 2>&1 &
        echo $! >"$dir/$name.pid"
    done
    # Each peer prints its port as its first line once it listens; wait for that, 20 s at most each.
    for name in $peers; do
        local port=""
        for _ in $(seq 200); do
            port=$(head -1 "$dir/$name.log" 2>/dev/null | tr -dc 0-9) || port=""
            [ -n "$port" ] && break
            kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null || break
            sleep 0.1
        done
        if [ -z "$port" ]; then
            echo "peer $name did not start; its log:" >&2; cat "$dir/$name.log" >&2; stop "$dir"; exit 1
        fi
        echo "$port" >"$dir/$name.port"
    done
}

stop() {
    local dir=$1
    for pidfile in "$dir"/*.pid; do
        [ -f "$pidfile" ] || continue
        kill -- -"$(cat "$pidfile")" 2>/dev/null || kill "$(cat "$pidfile")" 2>/dev/null || true
        rm -f "$pidfile"
    done
}

urls() {
    for name in $peers; do echo "$name ws://127.0.0.1:$(cat "$1/$name.port")/"; done
}

case "${1:-}" in
    install) install ;;
    start) [ $# -eq 2 ] || usage; install; start "$2" ;;
    stop) [ $# -eq 2 ] || usage; stop "$2" ;;
    urls) [ $# -eq 2 ] || usage; urls "$2" ;;
    names) echo "$peers" ;;
    *) usage ;;
esac
