#!/usr/bin/env bash
# Builds `wsspec` as one self-contained Linux executable: the Swift standard library, Foundation and the
# package's dependencies linked in statically (--static-swift-stdlib), so it runs on a machine with no Swift
# installed. Then checks that claim: `ldd` lists no Swift library, and the binary, copied alone into an
# empty directory and started with a minimal environment, passes a smoke run against its built-in server.
#
#   scripts/release.sh [OUT]     writes OUT/wsspec-linux-ARCH (default OUT: dist), prints its size and timings
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist}
flags=(-c release --product wsspec --static-swift-stdlib --scratch-path .build-release)

echo "== release build (static Swift runtime)"
swift build "${flags[@]}" 2>&1 | grep -E "error:|warning:|Build complete" || true
binary="$(swift build "${flags[@]}" --show-bin-path)/wsspec"
[ -x "$binary" ] || { echo "error: the build made no $binary" >&2; exit 1; }
mkdir -p "$out"
artifact="$out/wsspec-linux-$(uname -m)"
# Symbols are for debugging the build, not for running it: a third of the size.
strip -o "$artifact" "$binary"

echo "== what it links"
ldd "$artifact" | sed 's/^/  /'
if ldd "$artifact" | grep -qiE "swift|foundation|dispatch|icu"; then
    echo "error: $artifact still needs a Swift library at run time" >&2; exit 1
fi

echo "== a smoke run from an empty directory, with a minimal environment"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp "$artifact" "$scratch/wsspec"
cd "$scratch"
start=$(date +%s.%N)
env -i PATH=/usr/bin:/bin HOME="$scratch" ./wsspec --version >/dev/null
started=$(date +%s.%N)
env -i PATH=/usr/bin:/bin HOME="$scratch" ./wsspec run --report-dir reports --format json,junit,markdown >run.out 2>&1 \
    || { tail -20 run.out >&2; echo "error: the smoke run failed" >&2; exit 1; }
finished=$(date +%s.%N)
grep -E "cases against|^(PASS|FAIL)" run.out | sed "s/^/  /"
test -s reports/index.json && test -s reports/junit.xml && test -s reports/summary.md
cd - >/dev/null

size=$(stat -c %s "$artifact")
awk -v a="$artifact" -v s="$size" -v t0="$start" -v t1="$started" -v t2="$finished" 'BEGIN {
    printf "%s: %d bytes (%.1f MiB); start-up (--version) %.3f s; the whole catalog against the built-in server %.1f s\n",
        a, s, s / 1048576, t1 - t0, t2 - t1 }'
