import Scenario
import WebSocketCore

/// 9.x, limits and performance (Autobahn|Testsuite numbering): large messages whole, in fragments and in
/// chopped writes, and 1000-message round trips. Each must be echoed intact within its deadline; the report
/// gives the time each took.
enum LimitsSection {
    static var cases: [ScenarioCase] {
        largeMessages + fragmented + chopped + manyMessages
    }

    private static let kib = 1 << 10
    private static let mib = 1 << 20

    private static func corpus(_ opcode: Opcode) -> MessageCorpus {
        opcode == .text ? MessageCorpora.limitsText : MessageCorpora.limitsBinary
    }

    private static func size(_ bytes: Int) -> String { bytes >= mib ? "\(bytes / mib) MiB" : "\(bytes / kib) KiB" }

    private static func echoCase(
        _ id: CaseID, _ title: String, sends: String, _ trips: RoundTrips, chop: Int? = nil,
        deadline: Duration
    ) -> ScenarioCase {
        ScenarioCase(
            id, title, sends: sends,
            expectation: "Every message is echoed intact (in any fragmentation), within \(deadline.formatted); the time is reported.",
            rfc: [Payloads.rfc("5.4"), Payloads.rfc("5.6")], checks: [.limits], deadline: deadline + .seconds(5)
        ) {
            if let chop { Chop.writes(ofSize: chop) }
            Step.roundTrips(trips)
        }
    }

    /// 9.1 (text) and 9.2 (binary): one message of 64 KiB to 16 MiB.
    private static var largeMessages: [ScenarioCase] {
        let sizes = [64 * kib, 256 * kib, 1 * mib, 4 * mib, 8 * mib, 16 * mib]
        return [(Opcode.text, 1), (.binary, 2)].flatMap { opcode, group in
            sizes.enumerated().map { index, bytes in
                echoCase(
                    "9.\(group).\(index + 1)", "One \(size(bytes)) \(opcode) message",
                    sends: "A single \(opcode) message of \(bytes) bytes in one frame.",
                    RoundTrips(opcode, size: bytes, corpus: corpus(opcode), timeout: .seconds(index < 3 ? 20 : 60)),
                    deadline: .seconds(index < 3 ? 20 : 60))
            }
        }
    }

    /// 9.3 (text) and 9.4 (binary): a 4 MiB message in fragments of 64 bytes to 4 MiB. Where there is more than
    /// one fragment, an empty final continuation ends the message, as Autobahn|Testsuite sends it: the frame
    /// count is part of what these cases test (a server may cap it, and 4096 fragments plus one passes a cap
    /// of 4096 only if the server counts right).
    private static var fragmented: [ScenarioCase] {
        let fragmentSizes = [64, 256, 1 * kib, 4 * kib, 16 * kib, 64 * kib, 256 * kib, 1 * mib, 4 * mib]
        return [(Opcode.text, 3), (.binary, 4)].flatMap { opcode, group in
            fragmentSizes.enumerated().map { index, fragment in
                let frames = 4 * mib / fragment
                var trips = RoundTrips(opcode, size: 4 * mib, fragmentSize: fragment, corpus: corpus(opcode), timeout: .seconds(60))
                trips.emptyFinalFragment = frames > 1
                return echoCase(
                    "9.\(group).\(index + 1)", "A 4 MiB \(opcode) message in \(fragment >= kib ? size(fragment) : "\(fragment)-byte") fragments",
                    sends: "A \(opcode) message of \(4 * mib) bytes as \(frames) frames of \(fragment) bytes"
                        + (frames > 1 ? ", then an empty final continuation frame." : "."),
                    trips, deadline: .seconds(60))
            }
        }
    }

    /// 9.5 (text) and 9.6 (binary): a 1 MiB message written in chops of 64 to 2048 bytes.
    private static var chopped: [ScenarioCase] {
        let chops = [64, 128, 256, 512, 1024, 2048]
        return [(Opcode.text, 5), (.binary, 6)].flatMap { opcode, group in
            chops.enumerated().map { index, chop in
                echoCase(
                    "9.\(group).\(index + 1)", "A 1 MiB \(opcode) message written in \(chop)-byte chops",
                    sends: "A \(opcode) message of \(mib) bytes in one frame, written to the socket \(chop) bytes at a time.",
                    RoundTrips(opcode, size: mib, corpus: corpus(opcode), timeout: .seconds(60)), chop: chop,
                    deadline: .seconds(60))
            }
        }
    }

    /// 9.7 (text) and 9.8 (binary): 1000 messages of 0 to 4096 bytes, each sent after the previous echo.
    private static var manyMessages: [ScenarioCase] {
        let sizes = [0, 16, 64, 256, 1024, 4096]
        return [(Opcode.text, 7), (.binary, 8)].flatMap { opcode, group in
            sizes.enumerated().map { index, bytes in
                echoCase(
                    "9.\(group).\(index + 1)", "1000 round trips of \(bytes)-byte \(opcode) messages",
                    sends: "1000 \(opcode) messages of \(bytes) bytes, each sent once the previous one is echoed.",
                    RoundTrips(opcode, size: bytes, count: 1000, corpus: corpus(opcode), timeout: .seconds(60)),
                    deadline: .seconds(60))
            }
        }
    }
}
