#!/usr/bin/env python3
"""Golden verdicts of the peer matrix (Fixtures/peers/NAME.json) against a run's reports.

    peer_golden.py check GOLDEN_DIR RUNS_DIR [PEER ...]    exit 1 on any verdict that differs, or a
                                                           non-OK golden verdict without its reason
    peer_golden.py update GOLDEN_DIR RUNS_DIR [PEER ...]   rewrite the golden files from the runs, keeping
                                                           the reasons of verdicts that did not change

RUNS_DIR/PEER/ is a `wsspec run --format json --agent PEER` report folder: index.json holds each case's
behavior and behaviorClose, the case files its advisories. A golden file keeps one line per case:

    "7.9.1": {"behavior": "FAILED", "behaviorClose": "WRONG CODE", "reason": "RFC 6455 §7.4.1: …"}

Every verdict that is not plainly OK carries a one-line reason that names the RFC section; for a case
whose only finding is an advisory, the advisory (which names its rule) is the reason, and a close that is
only recorded (INFORMATIONAL) after an OK behaviour needs none.
"""
import json
import os
import sys

TODO = "TODO: say why, with the RFC section"


def case_key(case_id):
    return [int(part) for part in case_id.split(".")]


def observed(runs_dir, peer):
    folder = os.path.join(runs_dir, peer)
    try:
        with open(os.path.join(folder, "index.json"), encoding="utf-8") as handle:
            index = json.load(handle)
    except (OSError, ValueError) as error:
        raise SystemExit(f"{folder}: no readable run of {peer} ({error})")
    if peer not in index:
        raise SystemExit(f"{folder}/index.json has no agent {peer!r} (run wsspec with --agent {peer})")
    cases = {}
    for case_id, entry in index[peer].items():
        with open(os.path.join(folder, entry["reportfile"]), encoding="utf-8") as handle:
            report = json.load(handle)
        verdict = {"behavior": entry["behavior"], "behaviorClose": entry["behaviorClose"]}
        advisories = [f"{a['rule']}: {a['finding']}" for a in report.get("advisories", [])]
        if advisories:
            verdict["advisories"] = advisories
        cases[case_id] = verdict
    return cases


def plainly_ok(verdict):
    return verdict["behavior"] == "OK" and verdict["behaviorClose"] == "OK" and not verdict.get("advisories")


def needs_reason(verdict):
    """Advisories name their own rule, and a close that is only recorded needs none; any other departure from
    OK needs a reason of its own."""
    return not (verdict["behavior"] == "OK" and verdict["behaviorClose"] in ("OK", "INFORMATIONAL"))


def same(golden, seen):
    keys = ("behavior", "behaviorClose", "advisories")
    return all(golden.get(key) == seen.get(key) for key in keys)


def describe(verdict):
    text = f"{verdict['behavior']}/{verdict['behaviorClose']}"
    if verdict.get("advisories"):
        text += " + advisories [" + "; ".join(verdict["advisories"]) + "]"
    return text


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def write(path, document):
    """One line per case, so that a changed verdict is a one-line diff."""
    lines = ["{"]
    for key in ("peer", "implementation", "arguments", "jobs"):
        if key in document:
            lines.append(f"  {json.dumps(key)}: {json.dumps(document[key], ensure_ascii=False)},")
    lines.append('  "cases": {')
    ids = sorted(document["cases"], key=case_key)
    for position, case_id in enumerate(ids):
        comma = "," if position < len(ids) - 1 else ""
        lines.append(f"    {json.dumps(case_id)}: {json.dumps(document['cases'][case_id], ensure_ascii=False)}{comma}")
    lines.append("  }")
    lines.append("}")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def check(golden_dir, runs_dir, peers):
    problems = 0
    for peer in peers:
        golden = load(os.path.join(golden_dir, f"{peer}.json"))["cases"]
        seen = observed(runs_dir, peer)
        changed = [case_id for case_id in golden if case_id in seen and not same(golden[case_id], seen[case_id])]
        missing = [case_id for case_id in golden if case_id not in seen]
        extra = [case_id for case_id in seen if case_id not in golden]
        unexplained = [case_id for case_id, verdict in golden.items()
                       if needs_reason(verdict) and (not verdict.get("reason") or verdict["reason"].startswith("TODO"))]
        for case_id in sorted(changed, key=case_key):
            print(f"{peer} {case_id}: golden {describe(golden[case_id])}, now {describe(seen[case_id])}")
        for case_id in sorted(missing, key=case_key):
            print(f"{peer} {case_id}: in the golden file, not in the run")
        for case_id in sorted(extra, key=case_key):
            print(f"{peer} {case_id}: in the run ({describe(seen[case_id])}), not in the golden file")
        for case_id in sorted(unexplained, key=case_key):
            print(f"{peer} {case_id}: {describe(golden[case_id])} has no reason in the golden file")
        count = len(changed) + len(missing) + len(extra) + len(unexplained)
        problems += count
        status = "agrees" if count == 0 else f"{count} differences"
        print(f"{peer}: {len(seen)} cases, {sum(not plainly_ok(v) for v in seen.values())} not plainly OK; {status}")
    return 1 if problems else 0


def update(golden_dir, runs_dir, peers):
    for peer in peers:
        path = os.path.join(golden_dir, f"{peer}.json")
        document = load(path)
        old = document.get("cases", {})
        cases = {}
        for case_id, verdict in observed(runs_dir, peer).items():
            entry = dict(verdict)
            if needs_reason(verdict):
                previous = old.get(case_id)
                keep = previous is not None and same(previous, verdict) and previous.get("reason")
                entry["reason"] = previous["reason"] if keep else TODO
            cases[case_id] = entry
        document["cases"] = cases
        write(path, document)
        print(f"{path}: {len(cases)} cases, {sum(1 for v in cases.values() if v.get('reason') == TODO)} reasons to write")
    return 0


def main(arguments):
    if len(arguments) < 3 or arguments[0] not in ("check", "update"):
        print(__doc__, file=sys.stderr)
        return 2
    command, golden_dir, runs_dir, *peers = arguments
    if not peers:
        peers = sorted(name[:-5] for name in os.listdir(golden_dir) if name.endswith(".json"))
    return (check if command == "check" else update)(golden_dir, runs_dir, peers)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
