#!/usr/bin/env python3
"""Turns Autobahn|Testsuite 0.8.2 fuzzingclient reports into fixtures: one JSON file a peer, with Autobahn's
verdict for every case it ran, so that the agreement report can be written again without Autobahn.

    autobahn_fixture.py [--out DIR] [--replace] [--dry-run] [--date YYYY-MM-DD] REPORT...

REPORT is an Autobahn report folder (every index.json below it is read: scripts/autobahn_run.sh leaves one in
OUT/PEER/autobahn/, scripts/agreement.sh in KEEP/autobahn/) or an index.json itself. Each agent in the reports
becomes DIR/AGENT.json (DIR defaults to Fixtures/peers/autobahn):

    {"tool": "Autobahn|Testsuite 0.8.2 (fuzzingclient)", "peer": "websockets", "written": "2026-12-06",
     "peer_versions": "websockets==17.4 (Tests/Peers/requirements.txt)", "sections": ["1.*", ...],
     "cases": {"1.1.1": {"behavior": "OK", "behaviorClose": "OK"}, ...}}

One case a line, case ids in numeric order, so that a change of verdict is a one-line diff. Only `behavior`
and `behaviorClose` are kept: the two fields the gate in scripts/agreement.py reads (durations and close codes
are left in Autobahn's own reports).

Reports are merged into the files already there: cases that a report does not have are kept, so a later run
of 12.x/13.x lands beside the 1-10 run. A case whose verdict in a report differs from the one in the file (or
from another report given in the same call), or a file written for other peer versions, is a conflict: the
conflicts are listed and nothing is written (exit 1) unless --replace is given, which takes the report's
verdict (the last report given wins between reports). `written` changes only when the file's content does.
--dry-run lists what would change and writes nothing. Python 3, standard library only.
"""
import argparse
import datetime
import glob
import json
import os
import re
import sys

TOOL = "Autobahn|Testsuite 0.8.2 (fuzzingclient)"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REQUIREMENTS = os.path.join(ROOT, "Tests", "Peers", "requirements.txt")
# The Swift peers are built in wsspec's own package (Tests/Peers/hummingbird-echo, vapor-echo); the versions they
# were built against are those SwiftPM resolved for it.
SWIFT_RESOLVED = os.path.join(ROOT, "Package.resolved")
# The Swift peers and the packages that their versions are named by.
SWIFT_PEERS = {"hummingbird": ["hummingbird", "hummingbird-websocket", "swift-websocket"], "vapor": ["vapor", "websocket-kit"]}
NODE_WS = "/usr/share/nodejs/ws/package.json"


def case_key(case_id):
    return [int(part) for part in case_id.split(".")]


def verdict(entry):
    return {"behavior": entry["behavior"], "behaviorClose": entry["behaviorClose"]}


def label(entry):
    return f"{entry['behavior']}/{entry['behaviorClose']}"


def index_files(report):
    if os.path.isfile(report):
        return [report]
    return sorted(glob.glob(os.path.join(report, "**", "index.json"), recursive=True))


def peer_versions(peer, existing):
    """The version of the peer's implementation: its pin in Tests/Peers/requirements.txt, or Debian's node-ws.

    A NAME-keepalive peer is NAME's server. When the version cannot be found here (node-ws not installed), the
    file's own value is kept."""
    base = peer[:-len("-keepalive")] if peer.endswith("-keepalive") else peer
    if base in SWIFT_PEERS:
        try:
            with open(SWIFT_RESOLVED, encoding="utf-8") as handle:
                pins = {pin["identity"]: pin["state"]["version"] for pin in json.load(handle)["pins"]}
            return ", ".join(f"{name} {pins[name]}" for name in SWIFT_PEERS[base]) + f" (Tests/Peers/{base}-echo, debug build)"
        except (OSError, ValueError, KeyError):
            return existing or f"{base} (Package.resolved not found: build wsspec with --traits Hummingbird,Vapor)"
    if base == "ws":
        try:
            with open(NODE_WS, encoding="utf-8") as handle:
                return f"ws {json.load(handle)['version']} (Debian node-ws)"
        except (OSError, ValueError, KeyError):
            return existing or "ws (Debian node-ws, version not found)"
    with open(REQUIREMENTS, encoding="utf-8") as handle:
        for line in handle:
            match = re.match(r"\s*([A-Za-z0-9_.-]+)\s*==\s*(\S+)", line)
            if match and match.group(1).lower() == base.lower():
                return f"{match.group(1)}=={match.group(2)} (Tests/Peers/requirements.txt)"
    return existing or f"{base} (not pinned in Tests/Peers/requirements.txt)"


def render(fixture):
    """The file's text: the fields in a fixed order, one case a line."""
    head = [f" {json.dumps(key)}: {json.dumps(fixture[key])}," for key in ("tool", "peer", "written",
                                                                            "peer_versions", "sections")]
    ids = sorted(fixture["cases"], key=case_key)
    cases = [f"  {json.dumps(case_id)}: {json.dumps(fixture['cases'][case_id], sort_keys=True)}"
             + ("," if n < len(ids) - 1 else "") for n, case_id in enumerate(ids)]
    return "{\n" + "\n".join(head) + "\n \"cases\": {\n" + "\n".join(cases) + "\n }\n}\n"


def sections_of(cases):
    return [f"{first}.*" for first in sorted({int(case_id.split(".")[0]) for case_id in cases})]


def main(arguments):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reports", nargs="+", metavar="REPORT", help="Autobahn report folder or index.json")
    parser.add_argument("--out", default=os.path.join(ROOT, "Fixtures", "peers", "autobahn"),
                        help="folder of the fixtures (default Fixtures/peers/autobahn)")
    parser.add_argument("--replace", action="store_true", help="a report's verdict replaces a different one")
    parser.add_argument("--dry-run", action="store_true", help="list what would change, write nothing")
    parser.add_argument("--date", default=datetime.date.today().isoformat(), help="`written` (default today)")
    options = parser.parse_args(arguments)

    # Every agent's verdicts from the reports, in the order given; a disagreement between reports is a conflict.
    incoming = {}
    conflicts = []
    for report in options.reports:
        paths = index_files(report)
        if not paths:
            print(f"{report}: no index.json found", file=sys.stderr)
            return 2
        for path in paths:
            with open(path, encoding="utf-8") as handle:
                for agent, cases in json.load(handle).items():
                    mine = incoming.setdefault(agent, {})
                    for case_id, entry in cases.items():
                        new = verdict(entry)
                        if case_id in mine and mine[case_id][0] != new:
                            conflicts.append(f"{agent} {case_id}: {label(mine[case_id][0])} in {mine[case_id][1]}, "
                                             f"{label(new)} in {path}")
                        mine[case_id] = (new, path)

    planned = []
    for agent in sorted(incoming):
        target = os.path.join(options.out, f"{agent}.json")
        old = None
        if os.path.exists(target):
            with open(target, encoding="utf-8") as handle:
                old = json.load(handle)
            if old.get("tool") != TOOL or old.get("peer") != agent:
                print(f"{target}: not a fixture of {TOOL} for {agent}; not touched", file=sys.stderr)
                return 1
        cases = dict(old["cases"]) if old else {}
        versions = peer_versions(agent, old and old.get("peer_versions"))
        if old and old.get("peer_versions") != versions:
            conflicts.append(f"{agent}: the file is for {old.get('peer_versions')}, the peer is now {versions}")
        added = changed = 0
        for case_id, (new, path) in incoming[agent].items():
            if case_id not in cases:
                added += 1
            elif cases[case_id] != new:
                changed += 1
                conflicts.append(f"{agent} {case_id}: {label(cases[case_id])} in {target}, {label(new)} in {path}")
            cases[case_id] = new
        fixture = {"tool": TOOL, "peer": agent, "written": old["written"] if old else options.date,
                   "peer_versions": versions, "sections": sections_of(cases), "cases": cases}
        if old is None or any(old.get(key) != fixture[key] for key in fixture if key != "written"):
            fixture["written"] = options.date
        text = render(fixture)
        planned.append((target, text, agent, len(cases), added, changed, len(incoming[agent])))

    if conflicts:
        print(f"{len(conflicts)} conflict(s):", file=sys.stderr)
        for line in conflicts:
            print(f"  {line}", file=sys.stderr)
        if not options.replace:
            print("nothing written (--replace takes the reports' verdicts)", file=sys.stderr)
            return 1
    for target, text, agent, total, added, changed, read in planned:
        per_section = {}
        for case_id in json.loads(text)["cases"]:
            first = case_id.split(".")[0]
            per_section[first] = per_section.get(first, 0) + 1
        counts = " ".join(f"{s}.x={n}" for s, n in sorted(per_section.items(), key=lambda item: int(item[0])))
        print(f"{target}: {total} cases ({counts}); from the reports {read}, new {added}, changed {changed}")
        if not options.dry_run:
            os.makedirs(options.out, exist_ok=True)
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
