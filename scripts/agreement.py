#!/usr/bin/env python3
"""Writes docs/agreement.md: where wsspec and Autobahn|Testsuite 0.8.2 agree on the same servers, and why they
differ where they do, from committed fixtures alone, so that the document always says what the code does:

    agreement.py write [OUT.md]     write the document (default docs/agreement.md)
    agreement.py check [OUT.md]     exit 1 when the document differs from what the fixtures say (scripts/test.sh)

Autobahn's verdicts are Fixtures/peers/autobahn/PEER.json (scripts/autobahn_fixture.py, from scripts/agreement.sh);
wsspec's are the peer matrix's golden files, Fixtures/peers/PEER.json and Fixtures/peers/load/PEER.json, which
scripts/peer-matrix.sh checks against live runs on every test run. Both are read through the same gate, the one
projects run on Autobahn's index.json: a case fails when its behavior is FAILED or its behaviorClose is FAILED,
WRONG CODE, UNCLEAN or FAILED BY CLIENT (an UNIMPLEMENTED case never fails).

Every difference is explained by a note below, found by case id and the two verdicts; a difference that no
note explains is listed as unexplained and makes the script exit 1.
"""
import difflib
import fnmatch
import glob
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = ["websockets", "aiohttp", "tornado", "autobahn", "wsproto", "ws", "hummingbird", "vapor"]

FAILING_CLOSE = {"FAILED", "WRONG CODE", "UNCLEAN", "FAILED BY CLIENT"}

# (note, case id globs, Autobahn's verdict, wsspec's verdict, why). A verdict is "BEHAVIOR/CLOSE"; "*" matches any.
NOTES = [
    ("echo-race", "3.2 3.3 3.4 4.1.3 4.1.4 4.1.5 4.2.3 4.2.4 4.2.5 5.15", "NON-STRICT/OK", "OK/OK",
     "Timing, not conformance. Autobahn writes the valid message and the frame that breaks a rule back to back; "
     "a server that reads both in one go may fail the connection before its handler has echoed the message, and "
     "Autobahn then sees no echo (NON-STRICT; run it again and it may say OK). wsspec waits for the echo before it "
     "sends the bad frame, so its verdict does not depend on scheduling; a server that never echoes is NON-STRICT "
     "in both. Both pass."),
    ("size-limit", "9.3.* 9.4.*", "FAILED/FAILED", "INFORMATIONAL/INFORMATIONAL",
     "A size limit, graded as one. Python `websockets` caps a message at 4096 frames (`max_fragments`); Autobahn's 4 "
     "MiB message in 64-, 256- and 1024-byte fragments plus its empty final continuation passes the cap, and the "
     "server closes with 1009. RFC 6455 §7.4.1 defines 1009 for exactly this (\"an endpoint is terminating the "
     "connection because it has received a message that is too big for it to process\"), and §10.4 asks every "
     "implementation to protect itself with limits on frame and reassembled message sizes (\"SHOULD impose a limit "
     "on frame sizes and the total message size after reassembly from multiple frames\"); RFC 6455 sets no size a "
     "peer must accept. So wsspec records a 1009 refusal of a round trip's message over 1 MiB as INFORMATIONAL, "
     "behaviour and close: the case measured nothing past the limit, and no rule was broken. Autobahn fails the case "
     "(\"did not receive message\") and its close (\"failed by the wrong endpoint\"). Below 1 MiB the same refusal "
     "fails in wsspec too: limits that small are rare, and a broken length decoder often shows as a 1009."),
    ("ping-rsv", "3.6", "OK/OK", "FAILED/FAILED",
     "Not the same frame. Autobahn's 3.6 sends a binary message with RSV = 6, though its description says a ping; "
     "wsspec's sends the ping. Hummingbird fails a data frame with reserved bits (3.1-3.5 pass in both suites) and "
     "answers the ping with a pong: reserved bits on a control frame go unchecked, which only wsspec's case reaches. "
     "RFC 6455 §5.2: a nonzero RSV bit that no extension defines MUST fail the connection, on any frame."),
    ("close-only", "3.7 4.1.* 4.2.* 5.18", "OK/*", "FAILED/*",
     "Both fail the case; they put the failure in different fields. Here Vapor ignores a frame with a reserved "
     "opcode (4.x), or closes with the wrong code where it must fail the connection with 1002 (3.7, 5.18). "
     "Autobahn's behaviour compares only the messages and pongs the server sent back, of which there are none, so it "
     "says OK and fails the close (FAILED or WRONG CODE). wsspec's behaviour says whether the server did what the case "
     "requires (RFC 6455 §5.2, §5.4: fail the connection), so it fails that too."),
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


def load_cases(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)["cases"]


def load(peer):
    """Autobahn's verdicts and wsspec's golden verdicts for one peer, and the date Autobahn's were written."""
    autobahn_file = os.path.join(ROOT, "Fixtures", "peers", "autobahn", f"{peer}.json")
    with open(autobahn_file, encoding="utf-8") as handle:
        fixture = json.load(handle)
    wsspec = {}
    for path in [os.path.join(ROOT, "Fixtures", "peers", f"{peer}.json"), os.path.join(ROOT, "Fixtures", "peers", "load", f"{peer}.json")]:
        if os.path.exists(path):
            wsspec.update(load_cases(path))
    return fixture["cases"], wsspec, fixture.get("written", ""), fixture.get("peer_versions", "")


def document():
    lines = []
    summary = []
    unexplained = 0
    used = set()
    written = []
    versions = []
    for peer in PEERS:
        theirs, wsspec, date, version = load(peer)
        written.append(date)
        versions.append(version)
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
        for name in ["1-7, 10", "9.x", "12.x/13.x"]:
            counts = per_section.get(name)
            if not counts:
                continue
            share = 100.0 * counts["agree"] / counts["cases"]
            summary.append(f"| {peer} | {name} | {counts['cases']} | {counts['autobahn_fail']} | {counts['wsspec_fail']} "
                           f"| {counts['agree']} ({share:.1f} %) | {counts['labels']} |")
        lines.append(f"\n### {peer}\n")
        if peer_lines:
            lines.append("| case | Autobahn | wsspec | gate | why |")
            lines.append("| --- | --- | --- | --- | --- |")
            lines.extend(peer_lines)
        else:
            lines.append("Every shared case has the same behaviour and close verdict in both suites.")
    text = HEADER
    text += (f"Peers: {', '.join(v for v in versions if v)}; Autobahn's verdicts recorded on "
             f"{max(d for d in written if d) if any(written) else 'an unknown date'}.\n\n")
    text += "| peer | sections | cases | Autobahn fails | wsspec fails | same pass/fail | same verdicts |\n"
    text += "| --- | --- | --- | --- | --- | --- | --- |\n"
    text += "\n".join(summary) + "\n"
    text += DIFFERENCES
    text += "\n".join(lines) + "\n"
    if used:
        text += "\n## Why they differ\n"
        for name, _, _, _, note in NOTES:
            if name in used:
                text += f"\n<a id=\"{name}\"></a>**{name}.** {note}\n"
    text += BY_DESIGN
    return text, unexplained


def main(arguments):
    if not arguments or arguments[0] not in ("write", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    out = arguments[1] if len(arguments) > 1 else os.path.join(ROOT, "docs", "agreement.md")
    text, unexplained = document()
    if arguments[0] == "write":
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"{out}: {len(PEERS)} peers, {unexplained} unexplained differences")
        return 1 if unexplained else 0
    try:
        with open(out, encoding="utf-8") as handle:
            current = handle.read()
    except OSError as error:
        print(f"cannot read {out}: {error}", file=sys.stderr)
        return 1
    if current != text:
        sys.stderr.writelines(difflib.unified_diff(current.splitlines(True), text.splitlines(True), out, "from the fixtures"))
        print(f"{out} differs from what the fixtures say: run scripts/agreement.py write", file=sys.stderr)
        return 1
    if unexplained:
        print(f"{out}: {unexplained} unexplained differences", file=sys.stderr)
        return 1
    print(f"{out} agrees with Fixtures/peers (Autobahn's and wsspec's verdicts)")
    return 0


HEADER = """# wsspec and Autobahn|Testsuite on the same servers

Generated by `scripts/agreement.py write` from committed fixtures; `scripts/test.sh` fails when this file differs
from them, so it cannot drift from what the code does. Autobahn|Testsuite 0.8.2's verdicts (its `fuzzingclient`)
against the echo servers of the peer matrix (`Tests/Peers/`, `scripts/peers.sh`) are in
`Fixtures/peers/autobahn/`, recorded by `scripts/agreement.sh`; wsspec's are the peer matrix's golden files
(`Fixtures/peers/*.json`, `Fixtures/peers/load/*.json`), which every test run checks against live runs. Both are
read through the same gate: a case fails when `behavior` is FAILED or `behaviorClose` is FAILED, WRONG CODE,
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
