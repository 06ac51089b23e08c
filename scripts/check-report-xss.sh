#!/usr/bin/env bash
# Opens a report written from a hostile server's answers (close reasons, headers and messages that are
# <script>, onerror and "onmouseover= payloads) in headless Chromium and checks that none of it ran:
# every page's DOM after scripts ran must lack the attribute the payloads would set, and the index must
# carry the one our own script sets (so scripts did run). Installs Debian's chromium when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
    echo "installing chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
report=$(mktemp -d)
trap 'rm -rf "$report"' EXIT
WSSPEC_HOSTILE_REPORT_DIR="$report" swift test --skip-build --disable-xctest --filter markupFromThePeerIsEscapedInTheReports \
    >/dev/null 2>&1 || { echo "the hostile report could not be written" >&2; exit 1; }
pages=("$report/index.html" "$report"/cases/*.html)
failed=0
for page in "${pages[@]}"; do
    dom=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --virtual-time-budget=2000 --dump-dom "file://$page" 2>/dev/null)
    if grep -q 'data-pwned="1"' <<<"$dom"; then echo "injected script ran in $page" >&2; failed=1; fi
    if [ "$page" = "$report/index.html" ] && ! grep -q 'data-report-script="ran"' <<<"$dom"; then
        echo "the report's own script did not run in $page: the check would prove nothing" >&2; failed=1
    fi
done
[ $failed -eq 0 ] && echo "no injected script ran in ${#pages[@]} pages; the report's own script did"
exit $failed
