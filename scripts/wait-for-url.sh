#!/usr/bin/env bash
# Prints the first ws:// URL a server's log announces ("... on ws://127.0.0.1:PORT/ ..."), waiting up to 10 s for
# it; exits 1 when none appears. The log may not exist yet: a background `cmd >LOG &` creates it only once the
# child has started, so a missing file is the same as an empty one.
#
#   scripts/wait-for-url.sh LOG
set -uo pipefail
log=${1:?usage: scripts/wait-for-url.sh LOG}
for _ in $(seq 100); do
    url=$(sed -n 's/.* on \(ws:\/\/[^ ]*\).*/\1/p' "$log" 2>/dev/null | head -n 1)
    if [ -n "$url" ]; then echo "$url"; exit 0; fi
    sleep 0.1
done
exit 1
