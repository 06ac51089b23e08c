#!/usr/bin/env bash
# The one test command: builds everything (failing on any warning in wsspec's own code) and runs every test:
# the C shims' cmocka tests, a short fuzz smoke of every target, the in-process suites under AddressSanitizer and the
# live ones under ThreadSanitizer, the Swift suite itself (with the Hummingbird integration), the release binary's smoke run, the peer matrix (wsspec against eight real
# WebSocket servers, every verdict checked against Fixtures/peers, the load sections included), the agreement
# document against its fixtures, the client matrix (five real clients against serve-suite and run-client --exec,
# against Fixtures/peers/clients), the built-in client on every client-role case and the main job.
# `--quick` skips the fuzz smoke, the sanitizer runs, the release binary and the peer matrix's load sections.
# Installs what it needs when it is missing (apt packages; the peers' pinned venv), so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1

need_apt=()
command -v swift >/dev/null || { echo "error: the Swift toolchain (swift) is not on PATH" >&2; exit 2; }
command -v python3 >/dev/null || need_apt+=(python3)
command -v make >/dev/null || need_apt+=(make)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
pkg-config --exists cmocka 2>/dev/null || need_apt+=(libcmocka-dev)
pkg-config --exists zlib 2>/dev/null || need_apt+=(zlib1g-dev)                 # permessage-deflate
command -v xmllint >/dev/null || need_apt+=(libxml2-utils)          # the JUnit schema check
[ $quick -eq 1 ] || command -v chromium >/dev/null || need_apt+=(chromium)   # the report's script-injection check
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "installing: ${need_apt[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The framework integrations are traits (off for users who do not ask for them); the tests build them all.
traits=Hummingbird,Vapor
echo "== build (debug, with tests, traits: $traits)"
if ! swift build --build-tests --traits "$traits" 2>&1 | tee "$log" | grep -E "error:|warning:|Compiling|Build complete" | grep -v "^\[" ; then :; fi
if grep -q "error:" "$log"; then echo "build failed" >&2; exit 1; fi
# Swift 6 language mode and no warnings: any warning in our own sources fails the run.
here=$(pwd)
if grep -E "^${here}/(Sources|Tests)/.*warning:" "$log" >/dev/null; then
    echo "warnings in wsspec's own code:" >&2
    grep -E "^${here}/(Sources|Tests)/.*warning:" "$log" | sort -u >&2
    exit 1
fi

echo "== swift format lint --strict (.swift-format; Tests/ReadmePackage is the README's text, word for word)"
git ls-files -z -- 'Package.swift' 'Sources/*.swift' 'Tests/*.swift' ':!Tests/ReadmePackage/*' | xargs -0 swift format lint --strict

echo "== WebSocketCore is sans-IO, and modules depend only downwards"
scripts/check-core-purity.sh
python3 scripts/check-module-dependencies.py

echo "== fixtures are up to date"
python3 scripts/fixtures/make_utf8_vectors.py >/dev/null
python3 scripts/fixtures/make_deflate_vectors.py >/dev/null
python3 scripts/fixtures/make_fuzz_corpora.py >/dev/null
# The working tree against the index: regenerated files must match, and none may be left untracked.
if ! git diff --quiet -- Fixtures/ || [ -n "$(git ls-files --others --exclude-standard -- Fixtures/)" ]; then
    echo "Fixtures/ differ from their generators' output (or are not added to git):" >&2
    git status --short -- Fixtures/ >&2; exit 1
fi

echo "== docs/agreement.md says what the fixtures say (Autobahn's verdicts and the peer matrix's golden files)"
python3 scripts/agreement.py check
echo "== docs/http2.md's peer table says what the HTTP/2 peers' golden files say"
python3 scripts/http2_doc.py check
echo "== docs/differential-fuzzing.md's findings say what the peers' fuzz lists say"
python3 scripts/fuzz_doc.py check

if [ $quick -eq 0 ]; then
    echo "== fuzz smoke (every target, 60 s in all)"
    scripts/fuzz.sh --smoke 60
    scripts/sanitizers.sh address thread
fi

echo "== cmocka tests of the C fuzz shims"
make -s -C Tests/CFuzzShimsTests check

# The live (loopback TCP/TLS) tests run in a process of their own, after the CPU-bound simulation suites:
# their deadlines are real time, and on two cores the simulation suites would starve them.
echo "== swift test (in-process suites)"
swift test --skip-build --disable-xctest --skip "WebSocketNIOTests|ChatOnHummingbirdLoopbackTests" 2>&1 | grep -vE "^(◇|􀟈)|started\.$"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || exit "$status"
echo "== swift test (live suites over loopback)"
swift test --skip-build --disable-xctest --filter "WebSocketNIOTests|ChatOnHummingbirdLoopbackTests" 2>&1 | grep -vE "^(◇|􀟈)|started\.$"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || exit "$status"

echo "== the README's examples (mock API, Hummingbird, Vapor): a package of its own that depends on wsspec's products by name, as a user's does"
# A path dependency's identity is its folder's name: the package reaches this checkout through a folder named wsspec.
mkdir -p .build-readme && ln -sfn "$here" .build-readme/wsspec
python3 - <<'EOF'
import re, sys
blocks = re.findall(r"```swift\n(.*?)```", open("README.md").read(), re.S)
for function, path in [("func echoesAndDropsSilentClients", "ReadmeExampleTests.swift"),
                       ("func hummingbirdRoutesInProcess", "HummingbirdReadmeTests.swift"),
                       ("func vaporRoutesInProcess", "VaporReadmeTests.swift")]:
    example = [block for block in blocks if function in block]
    test = open("Tests/ReadmePackage/Tests/ReadmeTests/" + path).read()
    if len(example) != 1 or example[0] not in test:
        sys.exit(f"the README's example with {function} and Tests/ReadmePackage/Tests/ReadmeTests/{path} differ")
EOF
swift build --package-path Tests/ReadmePackage --scratch-path .build-readme/build --build-tests 2>&1 | tee "$log" | grep -E "error:|Build complete" || true
if grep -q "error:" "$log"; then echo "the README package does not build" >&2; exit 1; fi
if grep -E "^${here}/Tests/ReadmePackage/.*warning:" "$log" >/dev/null; then
    echo "warnings in the README package:" >&2; grep -E "^${here}/Tests/ReadmePackage/.*warning:" "$log" | sort -u >&2; exit 1
fi
swift test --package-path Tests/ReadmePackage --scratch-path .build-readme/build --skip-build --disable-xctest 2>&1 | grep -vE "^(◇|􀟈)|started\.$"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || exit "$status"

dist=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$dist"' EXIT
if [ $quick -eq 0 ]; then
    echo "== the release binary: static Swift runtime, no Swift library at run time, a smoke run from an empty directory"
    scripts/release.sh "$dist"
fi

echo "== the peer matrix: wsspec against real servers, every verdict against its golden file (Fixtures/peers)"
if [ $quick -eq 0 ]; then
    # The load sections move hundreds of megabytes a peer: the release binary runs them.
    WSSPEC="$(swift build --show-bin-path)/wsspec" WSSPEC_LOAD="$(ls "$dist"/wsspec-linux-*)" scripts/peer-matrix.sh
else
    WSSPEC="$(swift build --show-bin-path)/wsspec" LOAD=0 scripts/peer-matrix.sh
fi

echo "== the client matrix: real clients against wsspec serve-suite, every verdict against its golden file (Fixtures/peers/clients)"
WSSPEC="$(swift build --show-bin-path)/wsspec" scripts/client-matrix.sh

echo "== Chromium over HTTP/2 (RFC 8441) against wsspec serve: echo, a large message, a close code"
scripts/chromium-h2.sh "$(swift build --show-bin-path)/wsspec"

echo "== the built-in client against every client-role case, in-process (wsspec run-client --sim)"
reports=$(mktemp -d)
"$(swift build --show-bin-path)/wsspec" run-client --sim --jobs 2 --format json --report-dir "$reports" 2>/dev/null | tail -2
rm -rf "$reports"

echo "== the main job end to end: wsspec run against the built-in reference server over loopback"
reports=$(mktemp -d)
"$(swift build --show-bin-path)/wsspec" run --report-dir "$reports" 2>/dev/null | tail -3
test -s "$reports/index.html" && test -s "$reports/index.json" && test -s "$reports/junit.xml"
rm -rf "$reports"

if [ $quick -eq 0 ]; then
    echo "== the HTML report in headless Chromium: no injected script runs"
    scripts/check-report-xss.sh
fi
