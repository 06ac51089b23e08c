#!/usr/bin/env bash
# Bounded fuzzing of wsspec's parsers with libFuzzer (ASan on).
#   scripts/fuzz.sh TARGET [SECONDS]    fuzz one target (frames, handshake, utf8, deflate, saved-run, baseline) for SECONDS (default 60)
#   scripts/fuzz.sh --smoke [SECONDS]   every target, SECONDS in all (default 45); CI runs this
#   scripts/fuzz.sh --replay FILE [TARGET]   run one saved input (a crash) and show what it breaks
# Seed corpora live in Fixtures/fuzz/TARGET/. New inputs go to a scratch corpus under .build-fuzz/, never
# into Fixtures/. A crashing input is saved under .build-fuzz/artifacts/TARGET/; once fixed, copy it to
# Fixtures/fuzz/TARGET/regression-<what> so the regular tests replay it forever.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build-fuzz
targets=(frames handshake utf8 deflate saved-run baseline)

# The longest input worth trying. Frames: 8 KiB holds multi-frame streams and 16-bit lengths; 64-bit
# length forms come from non-minimal encodings and truncated announcements, and whole 64 KiB payloads
# would only add copying (they cut throughput twentyfold). An HTTP head is refused past 16 KiB. UTF-8 needs
# only enough to cross the validator's 16-byte blocks many times. Deflate: 4 KiB of compressed data already
# inflates to megabytes, past every limit the target draws.
max_len() {
    case "$1" in
        frames) echo 8192 ;;
        handshake) echo 20000 ;;
        saved-run) echo 65536 ;;
        *) echo 4096 ;;
    esac
}

product() {
    case "$1" in
        frames) echo FuzzFrames ;;
        handshake) echo FuzzHandshake ;;
        utf8) echo FuzzUTF8 ;;
        deflate) echo FuzzDeflate ;;
        saved-run) echo FuzzSavedRun ;;
        baseline) echo FuzzBaseline ;;
        *) echo "unknown fuzz target '$1' (known: ${targets[*]})" >&2; exit 2 ;;
    esac
}

build() {
    local name
    name=$(product "$1")
    # Release: overflow traps and preconditions stay on, and it runs several times faster than debug.
    swift build -c release --sanitize=fuzzer --sanitize=address --scratch-path "$scratch" -Xswiftc -use-ld=lld \
        --product "$name" 2>&1 | grep -E "error|warning: |Build complete|Compiling FuzzEntryPoints" || true
    local binary="$scratch/release/$name"
    [ -x "$binary" ] || { echo "fuzz build of $name failed" >&2; exit 1; }
    echo "$binary"
}

# Called outside command substitutions, so that an unknown target stops the script with its message.
require_target() { product "$1" >/dev/null || exit 2; }

fuzz() {
    local target=$1 seconds=$2 binary work artifacts log
    require_target "$target"
    [[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || { echo "SECONDS must be a positive whole number, not '$seconds'" >&2; exit 2; }
    binary=$(build "$target" | tail -1)
    work="$scratch/corpus/$target"
    artifacts="$scratch/artifacts/$target"
    mkdir -p "$work" "$artifacts"
    log=$(mktemp)
    echo "== fuzzing $target for ${seconds}s"
    set +e
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$binary" "$work" "Fixtures/fuzz/$target" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$target")" -print_final_stats=1 \
        -artifact_prefix="$artifacts/" >"$log" 2>&1
    local status=$?
    set -e
    grep -E "^#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb" "$log" || true
    local execs rate
    execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
    rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log")
    echo "fuzz $target: ${execs:-?} execs in ${seconds}s, ${rate:-?} execs/s"
    if [ $status -ne 0 ]; then
        grep -E "ERROR|Fatal error|wsspec fuzz target|SUMMARY|Test unit written" "$log" | head -20 >&2
        echo "fuzz $target FOUND A FAILURE; replay with: scripts/fuzz.sh --replay $(ls -t "$artifacts"/* 2>/dev/null | head -1) $target" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}

case "${1:-}" in
    "" | -h | --help)
        sed -n '2,9p' "$0"; exit 0 ;;
    --smoke)
        total=${2:-45}
        share=$(( total / ${#targets[@]} ))
        for target in "${targets[@]}"; do build "$target" >/dev/null; done
        status=0
        for target in "${targets[@]}"; do fuzz "$target" "$share" || status=1; done
        exit $status ;;
    --replay)
        file=${2:?"usage: scripts/fuzz.sh --replay FILE [TARGET]"}
        [ -r "$file" ] || { echo "cannot read $file" >&2; exit 2; }
        target=${3:-$(basename "$(dirname "$file")")}
        require_target "$target"
        binary=$(build "$target" | tail -1)
        SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$binary" "$file" ;;
    *)
        fuzz "$1" "${2:-60}" ;;
esac
