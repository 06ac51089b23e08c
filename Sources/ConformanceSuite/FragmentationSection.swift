import Scenario
import WebSocketCore

/// 5.x: fragmented messages are reassembled, control frames may come between fragments, and broken
/// fragment sequences (fragmented control frames, stray continuations, a new message inside one) fail.
enum FragmentationSection {
    static let rfc = [Payloads.rfc("5.4")]

    /// How a case writes its frames: all at once, one frame per write, or one byte per write. Frame-wise
    /// writes are 100 ms apart (as in 3.3) so that each frame reaches the server in a read of its own; the
    /// one-second hold of a message open across a pause is 5.19's and 5.20's test.
    enum Pacing: CaseIterable {
        case together, paused, byteWise
        var words: String {
            switch self {
            case .together: "in one write"
            case .paused: "one frame per write, 100 ms apart"
            case .byteWise: "one byte per write"
            }
        }
    }

    static var cases: [ScenarioCase] {
        var cases: [ScenarioCase] = []
        for (number, opcode) in [(1, Opcode.ping), (2, .pong)] {
            cases.append(
                ScenarioCase(
                    CaseID(stringLiteral: "5.\(number)"), "\(opcode == .ping ? "Ping" : "Pong") fragmented into two frames",
                    sends: "A \(opcode) frame without FIN, then a continuation frame with FIN.",
                    expectation: "Control frames must not be fragmented: the peer fails the connection with 1002.",
                    rfc: [Payloads.rfc("5.5")], checks: [.fragmentation], closing: .peerFails(codes: [1002])
                ) {
                    Send.frame(fin: false, opcode: opcode, payload: Array("fragment1".utf8))
                    Send.frame(opcode: .continuation, payload: Array("fragment2".utf8))
                    Expect.failure([1002])
                })
        }
        for (offset, pacing) in Pacing.allCases.enumerated() {
            cases.append(
                paced(
                    "5.\(3 + offset)", "Text message in two fragments, \(pacing.words)",
                    sends: "A text message as two frames, \(pacing.words).",
                    expectation: "The whole message is echoed.", pacing: pacing, checks: [.fragmentation],
                    frames: [(false, .text, "fragment1"), (true, .continuation, "fragment2")]
                ) {
                    Expect.text("fragment1fragment2", within: .seconds(5))
                })
        }
        for (offset, pacing) in Pacing.allCases.enumerated() {
            cases.append(
                paced(
                    "5.\(6 + offset)", "Text message in two fragments with a ping between, \(pacing.words)",
                    sends: "A text frame without FIN, a ping, then the final continuation frame; \(pacing.words).",
                    expectation: "The pong comes first, then the whole message.", pacing: pacing,
                    checks: [.fragmentation, .ping],
                    frames: [(false, .text, "fragment1"), (true, .ping, "ping payload"), (true, .continuation, "fragment2")]
                ) {
                    Expect.pong(Array("ping payload".utf8), within: .seconds(5))
                    Expect.text("fragment1fragment2", within: .seconds(5))
                })
        }
        for (group, fin) in [(9, true), (12, false)] {
            for (offset, pacing) in Pacing.allCases.enumerated() {
                cases.append(
                    paced(
                        "5.\(group + offset)",
                        "Continuation with FIN = \(fin ? 1 : 0) and nothing to continue, \(pacing.words)",
                        sends: "A continuation frame (FIN = \(fin ? 1 : 0)) with no message open, then a text message; \(pacing.words).",
                        expectation: "The peer fails the connection with 1002 at the continuation.",
                        pacing: pacing, checks: [.fragmentation], closing: .peerFails(codes: [1002]),
                        frames: [(fin, .continuation, "fragment1"), (true, .text, "fragment2")]
                    ) {
                        Expect.failure([1002], within: .seconds(5))
                    })
            }
        }
        cases.append(
            ScenarioCase(
                "5.15", "A complete fragmented message, then a stray continuation",
                sends: "text (no FIN) + continuation (FIN); once echoed (or 2 s passed), continuation (no FIN) "
                    + "with nothing open, then text, in one write.",
                expectation: "The peer fails the connection with 1002; echoing the first message before that is "
                    + "OK, not echoing it NON-STRICT.",
                rfc: rfc, checks: [.fragmentation], closing: .peerFails(codes: [1002]), deadline: .seconds(60)
            ) {
                Send.frame(fin: false, opcode: .text, payload: Array("fragment1".utf8))
                Send.frame(opcode: .continuation, payload: Array("fragment2".utf8))
                EchoBeforeFailure.awaitEcho("fragment1fragment2")
                Send.frame(fin: false, opcode: .continuation, payload: Array("fragment3".utf8))
                Send.frame(opcode: .text, payload: Array("fragment4".utf8))
                Expect.failure([1002])
            })
        for (number, firstFin) in [(16, false), (17, true)] {
            cases.append(
                paced(
                    "5.\(number)", "Stray continuation (FIN = \(firstFin ? 1 : 0)) before a fragmented message, twice",
                    sends: "Twice: a continuation (FIN = \(firstFin ? 1 : 0)) with nothing open, text (no FIN), continuation (FIN).",
                    expectation: "The peer fails the connection with 1002 at the first frame.",
                    pacing: .together, checks: [.fragmentation], closing: .peerFails(codes: [1002]),
                    frames: [
                        (firstFin, .continuation, "fragment1"), (false, .text, "fragment2"), (true, .continuation, "fragment3"),
                        (firstFin, .continuation, "fragment1"), (false, .text, "fragment2"), (true, .continuation, "fragment3")
                    ]
                ) {
                    Expect.failure([1002])
                })
        }
        cases.append(
            paced(
                "5.18", "A new text frame where a continuation is due",
                sends: "A text frame without FIN, then another text frame (not a continuation) with FIN.",
                expectation: "The peer fails the connection with 1002.",
                pacing: .together, checks: [.fragmentation], closing: .peerFails(codes: [1002]),
                frames: [(false, .text, "fragment1"), (true, .text, "fragment2")]
            ) {
                Expect.failure([1002])
            })
        // As in Autobahn|Testsuite, the second part follows the first after 1 s whether the first pong came or
        // not: answering a ping only once the message is complete is late (§5.5.2 SHOULD), not wrong.
        for (number, frameWise) in [(19, false), (20, true)] {
            cases.append(
                ScenarioCase(
                    CaseID(stringLiteral: "5.\(number)"),
                    "Text message in five fragments with two pings between\(frameWise ? ", one frame per write" : "")",
                    sends: "Fragments 1–2 and a ping; 1 s later fragments 3–4, a ping and fragment 5"
                        + (frameWise ? "; each frame in a write of its own." : "; each part in one write."),
                    expectation: "Both pongs, then the whole message.",
                    rfc: rfc + [Payloads.rfc("5.5")], checks: [.fragmentation, .ping], deadline: .seconds(60)
                ) {
                    let frames: [[(fin: Bool, opcode: Opcode, payload: String)]] = [
                        [(false, .text, "fragment1"), (false, .continuation, "fragment2"), (true, .ping, "pongme 1!")],
                        [
                            (false, .continuation, "fragment3"), (false, .continuation, "fragment4"), (true, .ping, "pongme 2!"),
                            (true, .continuation, "fragment5")
                        ]
                    ]
                    for (part, partFrames) in frames.enumerated() {
                        if part > 0 { Wait.for(.seconds(1)) }
                        for frame in partFrames {
                            Send.frame(fin: frame.fin, opcode: frame.opcode, payload: Array(frame.payload.utf8))
                            if frameWise { Wait.turn }
                        }
                    }
                    Expect.pong(Array("pongme 1!".utf8), within: .seconds(5))
                    Expect.pong(Array("pongme 2!".utf8), within: .seconds(5))
                    Expect.text("fragment1fragment2fragment3fragment4fragment5", within: .seconds(5))
                })
        }
        return cases
    }

    private static func paced(
        _ id: CaseID, _ title: String, sends: String, expectation: String, pacing: Pacing,
        checks: Set<Check>, closing: ClosingBehaviour = .clientCloses(),
        frames: [(fin: Bool, opcode: Opcode, payload: String)],
        @StepBuilder then expectations: () -> [Step]
    ) -> ScenarioCase {
        let rest = expectations()
        return ScenarioCase(
            id, title, sends: sends, expectation: expectation, rfc: rfc, checks: checks,
            closing: closing, deadline: .seconds(60)
        ) {
            if pacing == .byteWise { Chop.writes(ofSize: 1, delay: .milliseconds(1)) }
            for (index, frame) in frames.enumerated() {
                if pacing == .paused && index > 0 { Wait.for(.milliseconds(100)) }
                Send.frame(fin: frame.fin, opcode: frame.opcode, payload: Array(frame.payload.utf8))
            }
            rest
        }
    }
}
