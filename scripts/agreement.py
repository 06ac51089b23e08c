#!/usr/bin/env python3
"""Writes docs/agreement.md: where wsspec and Autobahn|Testsuite 0.8.2 agree on the same servers, and why they
differ where they do.

    agreement.py AUTOBAHN_DIR WSSPEC_DIR OUT.md PEER...

AUTOBAHN_DIR holds fuzzingclient reports (one index.json per run folder below it, every agent in it; several
folders may be given, comma-separated);
WSSPEC_DIR/PEER/ holds `wsspec run --format json --agent PEER` reports. Both are read through the same gate,
the one projects run on Autobahn's index.json: a case fails when its behavior is FAILED or its behaviorClose
is FAILED, WRONG CODE, UNCLEAN or FAILED BY CLIENT (an UNIMPLEMENTED case never fails).

Every difference is explained by a note below, found by case id and the two verdicts; a difference that no
note explains is listed as unexplained and makes the script exit 1.
"""
import datetime
import fnmatch
import glob
import json
import os
import sys

FAILING_CLOSE = {"FAILED", "WRONG CODE", "UNCLEAN", "FAILED BY CLIENT"}

# (note, case id globs, Autobahn's verdict, wsspec's verdict, why). A verdict is "BEHAVIOR/CLOSE"; "*" matches any.
NOTES = [
    ("echo-race", "3.2 3.3 3.4 4.1.3 4.1.4 4.1.5 4.2.3 4.2.4 4.2.5 5.15", "NON-STRICT/OK", "OK/OK",
     "Timing, not conformance. Autobahn writes the valid message and the frame that breaks a rule back to back; "
     "a server that reads both in one go may fail the connection before its handler has echoed the message, and "
     "Autobahn then sees no echo (NON-STRICT; run it again and it may say OK). wsspec waits for the echo before it "
     "sends the bad frame, so its verdict does not depend on scheduling; a server that never echoes is NON-STRICT "
     "in both. Both pass."),
    ("ignored-offer", "13.2.* 13.5.* 13.6.*", "OK/OK", "FAILED/INFORMATIONAL",
     "Autobahn is wrong by RFC 7692. These offers ask for server_no_context_takeover; the server accepts them with a "
     "bare `permessage-deflate`, which means it keeps its context (§7.1.1.1: \"absence of this extension parameter in "
     "an extension negotiation response indicates that the server can use context takeover\"). A server that does not "
     "support the offered configuration MUST decline the offer (§7); accepting it while ignoring the parameter is what "
     "Python `websockets`' client also refuses. Autobahn's client does not compare the response with its offer; "
     "wsspec's does, and fails the handshake."),
]


def case_key(case_id):
    return [int(part) for part in case_id.split(".")]


def fails(entry):
    if entry["behavior"] == "UNIMPLEMENTED":
        return False
    return entry["behavior"] == "FAILED" or entry["behaviorClose"] in FAILING_CLOSE


def label(entry):
    return f"{entry['behavior']}/{entry['behaviorClose']}"


def note_for(case_id, autobahn, wsspec):
    for name, globs, a, w, text in NOTES:
        if any(fnmatch.fnmatchcase(case_id, g) for g in globs.split()) and \
                fnmatch.fnmatchcase(autobahn, a) and fnmatch.fnmatchcase(wsspec, w):
            return name
    return None


def section(case_id):
    first = case_id.split(".")[0]
    return {"9": "9.x", "12": "12.x/13.x", "13": "12.x/13.x"}.get(first, "1-7, 10")


def load_autobahn(folders):
    merged = {}
    paths = [path for folder in folders.split(",") for path in glob.glob(os.path.join(folder, "**", "index.json"), recursive=True)]
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for agent, cases in json.load(handle).items():
                merged.setdefault(agent, {}).update(cases)
    return merged


def main(arguments):
    if len(arguments) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    autobahn_dir, wsspec_dir, out, *peers = arguments
    autobahn = load_autobahn(autobahn_dir)
    lines = []
    summary = []
    unexplained = 0
    used = set()
    for peer in peers:
        with open(os.path.join(wsspec_dir, peer, "index.json"), encoding="utf-8") as handle:
            wsspec = json.load(handle)[peer]
        theirs = autobahn.get(peer, {})
        shared = sorted(set(theirs) & set(wsspec), key=case_key)
        peer_lines = []
        per_section = {}
        for case_id in shared:
            a, w = theirs[case_id], wsspec[case_id]
            counts = per_section.setdefault(section(case_id), {"cases": 0, "agree": 0, "labels": 0,
                                                                "autobahn_fail": 0, "wsspec_fail": 0})
            counts["cases"] += 1
            counts["autobahn_fail"] += fails(a)
            counts["wsspec_fail"] += fails(w)
            same_gate = fails(a) == fails(w)
            counts["agree"] += same_gate
            counts["labels"] += label(a) == label(w)
            if label(a) == label(w):
                continue
            name = note_for(case_id, label(a), label(w))
            if name is None:
                unexplained += 1
                why = "**unexplained: investigate**"
            else:
                used.add(name)
                why = f"[{name}](#{name})"
            gate = "same pass/fail" if same_gate else "**pass/fail differs**"
            peer_lines.append(f"| {case_id} | {label(a)} | {label(w)} | {gate} | {why} |")
        for name, counts in per_section.items():
            share = 100.0 * counts["agree"] / counts["cases"] if counts["cases"] else 100.0
            summary.append(f"| {peer} | {name} | {counts['cases']} | {counts['autobahn_fail']} | {counts['wsspec_fail']} "
                           f"| {counts['agree']} ({share:.1f} %) | {counts['labels']} |")
        lines.append(f"\n### {peer}\n")
        if peer_lines:
            lines.append("| case | Autobahn | wsspec | gate | why |")
            lines.append("| --- | --- | --- | --- | --- |")
            lines.extend(peer_lines)
        else:
            lines.append("Every shared case has the same behaviour and close verdict in both suites.")
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(HEADER)
        handle.write(f"Peers: {', '.join(peers)} (versions in `Tests/Peers/requirements.txt` and Debian's node-ws 8.11); "
                     f"written on {datetime.date.today().isoformat()}.\n\n")
        handle.write("| peer | sections | cases | Autobahn fails | wsspec fails | same pass/fail | same verdicts |\n")
        handle.write("| --- | --- | --- | --- | --- | --- | --- |\n")
        handle.write("\n".join(summary) + "\n")
        handle.write(DIFFERENCES)
        handle.write("\n".join(lines) + "\n")
        if used:
            handle.write("\n## Why they differ\n")
            for name, _, _, _, text in NOTES:
                if name in used:
                    handle.write(f"\n<a id=\"{name}\"></a>**{name}.** {text}\n")
        handle.write(BY_DESIGN)
    print(f"{out}: {len(peers)} peers, {unexplained} unexplained differences")
    return 1 if unexplained else 0


HEADER = """# wsspec and Autobahn|Testsuite on the same servers

Written by `scripts/agreement.sh`, which runs Autobahn|Testsuite 0.8.2 (its `fuzzingclient`) and wsspec one after
the other against the echo servers of the peer matrix (`Tests/Peers/`, `scripts/peers.sh`) and reads both
reports through the same gate: a case fails when `behavior` is FAILED or `behaviorClose` is FAILED, WRONG CODE,
UNCLEAN or FAILED BY CLIENT. "Same verdicts" counts cases whose `behavior` and `behaviorClose` are both equal.

"""

DIFFERENCES = """
## Every difference

Cases whose `behavior` or `behaviorClose` differ between the two suites, peer by peer; the last column names
the note below that explains the difference.
"""

BY_DESIGN = """
## What differs by design

- **Grading.** wsspec's `behavior` and `behaviorClose` mean what Autobahn|Testsuite's mean (docs/decisions.md,
  "Autobahn-compatible grading"): a peer that fails the connection by dropping TCP, with or without a close frame,
  or that resets it after its close frame, is OK/OK in both. wsspec keeps what Autobahn does not look at as
  *advisories* (a SHOULD of RFC 6455 that the peer did not follow, such as §7.1.7's close frame before closing
  TCP): they are on the case page and in the saved run, and fail the run only under `--strict`.
- **Pacing.** Autobahn writes consecutive frames in one TCP write, and queued ("sync" or chopped) ones one per
  turn of its event loop. wsspec writes consecutive frames in one write too, pauses 100 ms where a case is about
  separate reads, chops one byte per millisecond, and waits for an echo before a frame that breaks a rule.
- **Time.** Autobahn gives most cases 1 s in all (0.5 s in 6.5-6.23) before it closes them; wsspec gives each
  expectation 2 s (5 s for large messages) and the closing handshake 2 s more. A server that takes between the two
  fails Autobahn and passes wsspec; none of the peers here comes near either limit.
- **Content.** In 3.6 Autobahn sends a binary frame with RSV = 6 although its description says a ping; wsspec
  sends the ping (reserved bits on a control frame). In 9.x Autobahn checks only the type and length of an echo;
  wsspec compares the bytes. In 9.3.x and 9.4.x both end the message with an empty final continuation frame,
  Autobahn's fragmenter does (the frame count decides 9.3.3 against Python `websockets`, which caps a message
  at 4096 fragments).
- **Load.** Autobahn sends 1000 messages in every 12.x/13.x case; wsspec stops a case at 2 MiB (never fewer than two
  messages) unless `--full-load`. Its 13.x offers use the same window sizes as Autobahn's (9 and 15 bits; RFC 7692
  allows 8, which zlib cannot make).
- **Cases only wsspec has.** 0.x (the opening handshake), 7.3.7 (a 200-byte close reason), 7.7.14-16 (close codes
  1012-1014, registered with IANA after RFC 6455; Autobahn 0.8.2 treats them as protocol errors, wsspec accepts
  them and grades a peer that does not know them NON-STRICT) and 11.x (keepalive). No other suite gives a second
  opinion on those; each FAILED there rests on a MUST that the case cites, and the peer matrix's golden files
  (Fixtures/peers) give every non-OK verdict with its reason.
"""

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
