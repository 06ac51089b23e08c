#!/usr/bin/env bash
# The peer matrix: wsspec against eight real WebSocket servers, and four over HTTP/2 (scripts/peers.sh), every
# verdict checked against the golden file of that peer (Fixtures/peers/NAME.json, see scripts/peer_golden.py).
#
#   scripts/peer-matrix.sh            run and check; exit 1 on any verdict that differs from the golden files
#   scripts/peer-matrix.sh --update   run and rewrite the golden files (reasons of unchanged verdicts are kept;
#                                     new non-OK verdicts get a TODO that the check refuses until written)
#
# Each peer runs with the arguments its golden file names (all sections but 9, 12 and 13, at short timers).
# The golden files are written one case at a time (--update) and checked 16 at once: a verdict that depends on
# concurrency shows as a difference. (Checking at both counts took six minutes of every test run for no verdict
# the 16-job check does not hold; JOBS="1 16" still does it.) A golden file that names its "jobs" is checked at
# those counts only.
# Then the load sections (9.x, and 12.x/13.x at the default round-trip budget) run once against every peer, 4
# cases at a time, against Fixtures/peers/load/NAME.json (about 2.5 minutes with a release binary).
# Then each peer with a list of known fuzz findings (Fixtures/peers/fuzz/) is fuzzed with a fixed seed and count and
# checked against it (scripts/peer_fuzz.py; FUZZ=0 leaves it out).
# WSSPEC names the wsspec binary (default: the debug build, built when missing); JOBS the job counts (checked:
# "16"; written: "1"; --update takes the first); WSSPEC_LOAD the binary for the load sections (default WSSPEC; a release
# build moves their megabytes several times faster); LOAD=0 leaves the load sections out.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=check
[ "${1:-}" = "--update" ] && mode=update

wsspec=${WSSPEC:-}
if [ -z "$wsspec" ]; then
    wsspec="$(swift build --show-bin-path)/wsspec"
    [ -x "$wsspec" ] || swift build --product wsspec >/dev/null
fi

work=$(mktemp -d)
trap 'scripts/peers.sh stop "$work/peers"; rm -rf "$work"' EXIT
scripts/peers.sh start "$work/peers"

if [ "$mode" = update ]; then jobs=${JOBS:-1}; jobs=${jobs%% *}; else jobs=${JOBS:-16}; fi
status=0

# The arguments a golden file names for its peer's runs, one a line.
golden_arguments() {
    python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["arguments"]))' "$1"
}

# Runs a wsspec command line against peer NAME at URL, its output to LOG: a status over 1 (it could not run at all,
# where 1 only means cases failed or findings were made) fails the matrix, with the log's end.
run_checked() {
    local name=$1 url=$2 log=$3 code
    shift 3
    set +e
    "$@" >"$log" 2>&1
    code=$?
    set -e
    if [ $code -gt 1 ]; then
        echo "wsspec could not run against $name ($url), status $code:" >&2
        tail -5 "$log" >&2
        status=1
    fi
}

# Runs BINARY against every peer that has a golden file in GOLDEN_DIR, JOBS cases at a time, each with the
# arguments its golden file names (so that the file says how its verdicts were made), into OUT/NAME.
run_peers() {
    local binary=$1 golden_dir=$2 jobs=$3 out=$4 name url
    while read -r name url; do
        [ -f "$golden_dir/$name.json" ] || continue
        # A golden file may name the job counts its peer is checked at ("jobs"): the Swift servers fail a hundred cases
        # or more by timing out, which takes minutes one case at a time, so they are checked 16 at a time only.
        if [ "$mode" = check ] && ! python3 -c 'import json,sys; sys.exit(int(sys.argv[2]) not in json.load(open(sys.argv[1])).get("jobs", [int(sys.argv[2])]))' \
            "$golden_dir/$name.json" "$jobs"; then
            continue
        fi
        mapfile -t arguments < <(golden_arguments "$golden_dir/$name.json")
        run_checked "$name" "$url" "$out-$name.out" "$binary" run "$url" "${arguments[@]}" --jobs "$jobs" --agent "$name" \
            --format json --report-dir "$out/$name"
    done < <(scripts/peers.sh urls "$work/peers")
}

# Every failing case of every peer left a capsule (docs/capsules.md): played back offline, each must give its
# recorded verdicts without leaving the recording. The peers' real bytes check the playback on every test run.
replay_capsules() {
    local out=$1 name capsules=0
    [ "$mode" = check ] || return 0
    for name in $(ls "$out"); do
        [ -d "$out/$name/capsules" ] || continue
        capsules=$((capsules + $(ls "$out/$name/capsules" | wc -l)))
        if ! "$wsspec" replay --check "$out/$name/capsules" >"$out-$name.replay" 2>&1; then
            echo "$name: a capsule replayed offline did not give its recorded verdicts:" >&2
            grep -B3 "not the same\|note:\|error:" "$out-$name.replay" | head -20 >&2
            status=1
        fi
    done
    echo "capsules: $capsules replayed offline, each checked against its recorded verdicts"
}

for count in $jobs; do
    run_peers "$wsspec" Fixtures/peers "$count" "$work/runs-$count"
    [ $status -eq 0 ] || exit $status
    echo "-- --jobs $count"
    # The peers that ran at this count (a golden file's "jobs" may leave its peer out of one).
    ran=$(ls "$work/runs-$count" 2>/dev/null || true)
    [ -n "$ran" ] || { echo "no peer runs at --jobs $count"; continue; }
    # shellcheck disable=SC2086
    python3 scripts/peer_golden.py "$mode" Fixtures/peers "$work/runs-$count" $ran || status=$?
    replay_capsules "$work/runs-$count"
done
# A short fuzz of each peer with a list of known findings (Fixtures/peers/fuzz/NAME.json: a fixed seed and count, so
# the same conversations every time): every kind of finding must be on the list, with its reason, and every one on the
# list must still be found.
if [ "${FUZZ:-1}" = 1 ] && [ $status -eq 0 ]; then
    fuzzed=()
    while read -r name url; do
        [ -f "Fixtures/peers/fuzz/$name.json" ] || continue
        mapfile -t arguments < <(golden_arguments "Fixtures/peers/fuzz/$name.json")
        run_checked "$name" "$url" "$work/fuzz-$name.out" "$wsspec" fuzz "$url" "${arguments[@]}" --report-dir "$work/fuzz/$name"
        fuzzed+=("$name")
    done < <(scripts/peers.sh urls "$work/peers")
    echo "-- fuzz"
    if [ ${#fuzzed[@]} -gt 0 ] && [ $status -eq 0 ]; then
        python3 scripts/peer_fuzz.py "$mode" Fixtures/peers/fuzz "$work/fuzz" "${fuzzed[@]}" || status=$?
    fi
fi
if [ "${LOAD:-1}" = 1 ] && [ $status -eq 0 ]; then
    run_peers "${WSSPEC_LOAD:-$wsspec}" Fixtures/peers/load 4 "$work/load"
    [ $status -eq 0 ] || exit $status
    echo "-- load sections (9.x, 12.x, 13.x), --jobs 4"
    python3 scripts/peer_golden.py "$mode" Fixtures/peers/load "$work/load" $(ls Fixtures/peers/load | sed -n 's/\.json$//p') || status=$?
    replay_capsules "$work/load"
fi
probe=$(ls "$work/runs-${jobs%% *}" 2>/dev/null | head -1 || true)
if [ "$mode" = check ] && [ $status -eq 0 ] && [ -n "$probe" ]; then
    # The gate must be able to fail: with one golden verdict changed, the same runs must not pass (checked on the
    # first peer that ran, so that PEERS may name any subset).
    altered="$work/altered"
    mkdir -p "$altered"
    cp Fixtures/peers/*.json "$altered/"
    python3 - "$altered/$probe.json" <<'EOF'
import json, sys
path = sys.argv[1]
document = json.load(open(path))
case = document["cases"][min(document["cases"], key=lambda case_id: [int(part) for part in case_id.split(".")])]
case["behavior"] = "FAILED" if case["behavior"] != "FAILED" else "OK"
json.dump(document, open(path, "w"))
EOF
    if python3 scripts/peer_golden.py check "$altered" "$work/runs-${jobs%% *}" "$probe" >/dev/null; then
        echo "the golden check passed a run against an altered golden file" >&2
        status=1
    fi
fi
exit $status
