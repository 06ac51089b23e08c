#!/usr/bin/env python3
"""The peer matrix's fuzz gate: each peer's findings (by key, from `wsspec fuzz`'s fuzz.json) against its golden list.

    peer_fuzz.py check  GOLDEN_DIR RUNS_DIR NAME...   exit 1 when a peer's set of finding keys differs from its list
    peer_fuzz.py update GOLDEN_DIR RUNS_DIR NAME...   rewrite the lists: known keys keep their reasons, new ones get a
                                                      TODO that `check` refuses until it is written

A golden file (Fixtures/peers/fuzz/NAME.json) names the arguments its run takes (a fixed seed and count, so the
conversations are the same every time) and, for every kind of finding, why it is a real deviation: the RFC section,
and the catalog case that shows the same behaviour.
"""
import json
import os
import sys


def load_run(runs, name):
    with open(os.path.join(runs, name, "fuzz.json")) as handle:
        return json.load(handle)


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("check", "update"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, golden_dir, runs, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    status = 0
    for name in names:
        path = os.path.join(golden_dir, name + ".json")
        with open(path) as handle:
            golden = json.load(handle)
        run = load_run(runs, name)
        found = set(run["byKey"])
        known = golden.get("findings", {})
        if mode == "update":
            golden["findings"] = {key: known.get(key, "TODO: why this is a real deviation (RFC section, catalog case)") for key in sorted(found)}
            with open(path, "w") as handle:
                json.dump(golden, handle, indent=2, ensure_ascii=False)
                handle.write("\n")
            print(f"{name}: {len(found)} kinds of finding in {run['tried']} conversations")
            continue
        new, gone = sorted(found - set(known)), sorted(set(known) - found)
        todo = sorted(key for key, reason in known.items() if reason.startswith("TODO"))
        for key in new:
            print(f"{name}: a new kind of finding, {run['byKey'][key]} times: {key}", file=sys.stderr)
        for key in gone:
            print(f"{name}: a known finding no longer found: {key}", file=sys.stderr)
        for key in todo:
            print(f"{name}: the finding {key} has no reason yet", file=sys.stderr)
        if run["tried"] == 0:
            print(f"{name}: no conversation ran", file=sys.stderr)
        if new or gone or todo or run["tried"] == 0:
            status = 1
        else:
            print(f"{name}: {run['tried']} conversations, {run['findings']} findings, of the {len(known)} known kinds")
    return status


if __name__ == "__main__":
    sys.exit(main())
