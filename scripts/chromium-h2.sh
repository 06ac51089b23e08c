#!/usr/bin/env bash
# Headless Chromium against `wsspec serve` over TLS with HTTP/2 (RFC 8441): an echo, a 1 MiB message and a close
# code, and the server's log showing the WebSocket came as an extended CONNECT, not an HTTP/1.1 upgrade
# (scripts/chromium_h2_check.py). Installs Debian's chromium when it is missing; the DevTools client is the peers'
# venv's `websockets` (scripts/peers.sh install).
#   scripts/chromium-h2.sh [WSSPEC]   (default: the debug build)
set -euo pipefail
cd "$(dirname "$0")/.."
wsspec=${1:-"$(swift build --show-bin-path)/wsspec"}
if ! command -v chromium >/dev/null; then
    echo "installing: chromium (Debian)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
venv=${PEERS_VENV:-.build-peers/venv}
[ -x "$venv/bin/python" ] || PEERS=ws scripts/peers.sh install
timeout 180 "$venv/bin/python" -u scripts/chromium_h2_check.py "$wsspec"
