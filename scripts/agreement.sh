#!/usr/bin/env bash
# The agreement report: Autobahn|Testsuite 0.8.2 and wsspec, one after the other, against the same six echo
# servers (scripts/peers.sh), compared through the gate projects run on Autobahn's index.json; writes
# docs/agreement.md (scripts/agreement.py explains every difference, or exits 1 naming the unexplained).
#
#   scripts/agreement.sh                        sections 1-7, 9 and 10 (a few minutes)
#   scripts/agreement.sh --compression          12.x and 13.x as well (Autobahn sends 1000 messages a case,
#                                               11 GB per peer: most of an hour per Python server on two cores;
#                                               wsspec stops each case at its 2 MiB budget unless --full-load)
#   scripts/agreement.sh --full-load            with --compression: wsspec sends all 1000 messages too
#   scripts/agreement.sh --autobahn-reports DIR reuse Autobahn reports kept from earlier runs (repeatable;
#                                               their ports differ, their verdicts do not)
#
# A documentation tool, not a CI step: Autobahn|Testsuite needs Python 2.7 (pyenv's 2.7.18 here, or set
# PYTHON27); it is installed into .build-agreement/ with pip. KEEP=DIR keeps both suites' reports in DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
compression=0
full_load=""
reuse=""
while [ $# -gt 0 ]; do
    case "$1" in
        --compression) compression=1 ;;
        --full-load) full_load=--full-load ;;
        --autobahn-reports) reuse="${reuse:+$reuse,}$2"; shift ;;
        *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
    shift
done

peers="websockets aiohttp tornado autobahn wsproto ws"
sections="1.* 2.* 3.* 4.* 5.* 6.* 7.* 9.* 10.*"
[ $compression -eq 1 ] && sections="$sections 12.* 13.*"

work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
trap 'scripts/peers.sh stop "$work/peers"' EXIT
PEERS="$peers" scripts/peers.sh start "$work/peers"

if [ -z "$reuse" ]; then
    python27=${PYTHON27:-$HOME/.pyenv/versions/2.7.18/bin/python}
    [ -x "$python27" ] || { echo "Python 2.7 not found at $python27 (set PYTHON27)" >&2; exit 2; }
    testsuite=.build-agreement/autobahntestsuite
    if [ ! -x "$testsuite/bin/wstest" ]; then
        echo "installing: autobahntestsuite 0.8.2 into $testsuite"
        "$python27" -m pip install -q --target .build-agreement/virtualenv 'virtualenv<20.22'
        PYTHONPATH=.build-agreement/virtualenv "$python27" -m virtualenv -q "$testsuite"
        "$testsuite/bin/pip" install -q autobahntestsuite==0.8.2
    fi
    PEERS="$peers" scripts/peers.sh urls "$work/peers" | python3 -c '
import json, sys
work, sections = sys.argv[1], sys.argv[2:]
servers = [{"agent": name, "url": url} for name, url in (line.split() for line in sys.stdin)]
json.dump({"outdir": work + "/autobahn", "servers": servers, "cases": sections, "exclude-cases": [],
           "exclude-agent-cases": {}}, open(work + "/fuzzingclient.json", "w"), indent=1)
' "$work" $sections
    echo "== Autobahn|Testsuite 0.8.2 (fuzzingclient), sections: $sections"
    (cd "$work" && "$OLDPWD/$testsuite/bin/wstest" -m fuzzingclient -s fuzzingclient.json >autobahn.log 2>&1)
    reuse="$work/autobahn"
fi

# The compression sections move 11 GB under --full-load: that wants a release build.
configuration=debug
[ -n "$full_load" ] && configuration=release
wsspec=${WSSPEC:-"$(swift build -c $configuration --show-bin-path)/wsspec"}
[ -x "$wsspec" ] || swift build -c $configuration --product wsspec >/dev/null
echo "== wsspec, sections: $sections"
selection=$(echo "$sections" | tr ' ' ',')
while read -r name url; do
    set +e
    "$wsspec" run "$url" --cases "$selection" $full_load --agent "$name" \
        --format json --report-dir "$work/wsspec/$name" >"$work/wsspec-$name.log" 2>&1
    code=$?
    set -e
    [ $code -le 1 ] || { echo "wsspec could not run against $name:" >&2; tail -5 "$work/wsspec-$name.log" >&2; exit 1; }
done < <(PEERS="$peers" scripts/peers.sh urls "$work/peers")

python3 scripts/agreement.py "$reuse" "$work/wsspec" docs/agreement.md $peers
