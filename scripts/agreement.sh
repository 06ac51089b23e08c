#!/usr/bin/env bash
# Records Autobahn|Testsuite 0.8.2's verdicts against the peer matrix's eight echo servers (scripts/autobahn_run.sh)
# into Fixtures/peers/autobahn/ (scripts/autobahn_fixture.py), then writes docs/agreement.md from those fixtures and
# the peer matrix's golden files (scripts/agreement.py write). A documentation tool, not a CI step: CI checks the
# committed document against the committed fixtures (scripts/agreement.py check, part of scripts/test.sh) and the
# golden files against live runs (scripts/peer-matrix.sh).
#
#   scripts/agreement.sh                 sections 1-7, 9 and 10 (a few minutes)
#   scripts/agreement.sh --compression   12.x and 13.x as well (Autobahn sends 1000 messages a case: 11-14 minutes a
#                                        peer on two cores)
#
# Verdicts that changed since the fixtures were written stop it (autobahn_fixture.py lists them) unless REPLACE=1.
# Autobahn|Testsuite needs Python 2.7 (pyenv's 2.7.18 here, or set PYTHON27). KEEP=DIR keeps Autobahn's reports.
set -euo pipefail
cd "$(dirname "$0")/.."
sections="1.* 2.* 3.* 4.* 5.* 6.* 7.* 9.* 10.*"
case "${1:-}" in
    "") ;;
    --compression) sections="$sections 12.* 13.*" ;;
    *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
work=${KEEP:-$(mktemp -d)}
scripts/autobahn_run.sh "$work" "$sections"
python3 scripts/autobahn_fixture.py ${REPLACE:+--replace} "$work"
python3 scripts/agreement.py write
