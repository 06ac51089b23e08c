import Scenario
import WebSocketCore

/// 7.x: the closing handshake. Close frames are answered and nothing follows them; payloads of 0, 2 and
/// up to 125 bytes are valid, 1 byte and over 125 are not; reasons are UTF-8; codes are checked.
enum CloseSection {
    static let rfc = [Payloads.rfc("5.5.1"), Payloads.rfc("7.1")]

    static var cases: [ScenarioCase] { basic + payloads + validCodes + invalidCodes + undefinedCodes }

    /// 7.1.6's large message: 256 KiB of Autobahn|Testsuite's filler text.
    private static let largeText = String(String(repeating: "BAsd7&jh23", count: 26215).prefix(256 << 10))

    private static var basic: [ScenarioCase] {
        [
            // The close follows the echo, as in Autobahn|Testsuite: sent right behind the message, it races the
            // server's handler, and RFC 6455 lets the server answer the close first.
            ScenarioCase(
                "7.1.1", "Echo a message, then close normally", sends: "\"Hello World!\"; once it is echoed, close 1000.",
                expectation: "The message is echoed, then the close is answered with 1000.", rfc: rfc, checks: [.close]
            ) {
                Send.text("Hello World!")
                Expect.text("Hello World!")
                Send.close(code: 1000)
                Expect.close([1000])
            },
            ScenarioCase(
                "7.1.2", "Close twice", sends: "Close 1000, then another close frame.",
                expectation: "The first close is answered with 1000; the second is ignored.", rfc: rfc, checks: [.close]
            ) {
                Send.close(code: 1000)
                Send.close(code: 1000)
                Expect.close([1000])
            },
            ScenarioCase(
                "7.1.3", "Ping after close", sends: "Close 1000, then a ping.",
                expectation: "The close is answered with 1000; the ping after it is not answered.", rfc: rfc,
                checks: [.close, .afterClose]
            ) {
                Send.close(code: 1000)
                Send.ping(Array("after close".utf8))
                Expect.close([1000])
            },
            ScenarioCase(
                "7.1.4", "Text after close", sends: "Close 1000, then a text message.",
                expectation: "The close is answered with 1000; the message after it is not echoed.", rfc: rfc,
                checks: [.close, .afterClose]
            ) {
                Send.close(code: 1000)
                Send.text("after close")
                Expect.close([1000])
            },
            ScenarioCase(
                "7.1.5", "Close in the middle of a fragmented message",
                sends: "A text frame without FIN, close 1000, then the final continuation.",
                expectation: "The close is answered with 1000; the half message is never echoed.", rfc: rfc + [Payloads.rfc("5.4")],
                checks: [.close, .afterClose, .closeMidMessage]
            ) {
                Send.frame(fin: false, opcode: .text, payload: Array("fragment1".utf8))
                Send.close(code: 1000)
                Send.frame(opcode: .continuation, payload: Array("fragment2".utf8))
                Expect.close([1000])
            },
            ScenarioCase(
                "7.1.6", "Close right behind a 256 KiB message, then a ping",
                sends: "A 262144-byte text message, \"Hello World!\", close 1000, then a ping, in one write.",
                expectation: "Recorded, not judged: whether the echoes go out before the close answer is up to the peer.",
                rfc: rfc, requirement: .may, checks: [.close], closing: .informational
            ) {
                Send.text(largeText)
                Send.text("Hello World!")
                Send.close(code: 1000)
                Send.ping(Array("after close".utf8))
                OneOf {
                    Alternative(.ok, "echoes both messages, then answers the close") {
                        Expect.text(largeText, within: .seconds(10))
                        Expect.text("Hello World!")
                        Expect.close([1000])
                    }
                    Alternative(.ok, "answers the close before the messages are echoed") { Expect.close([1000], within: .seconds(10)) }
                }
            }
        ]
    }

    private static var payloads: [ScenarioCase] {
        let reason123 = String(repeating: "*", count: 123), reason124 = String(repeating: "*", count: 124)
        return [
            ScenarioCase(
                "7.3.1", "Close with an empty payload", sends: "A close frame with no payload (no code).",
                expectation: "The close is answered (with no code, or 1000).", rfc: rfc, checks: [.close],
                closing: .clientCloses(answers: [1000, 1005])
            ) {
                Send.close(code: nil)
                Expect.close([1000, 1005])
            },
            ScenarioCase(
                "7.3.2", "Close with a 1-byte payload", sends: "A close frame whose payload is the single byte 0x03.",
                expectation: "A close payload holds a 2-byte code or nothing: the peer fails the connection with 1002.",
                rfc: rfc, checks: [.closePayload], closing: .peerFails(codes: [1002])
            ) {
                Send.close(code: nil, reason: [0x03])
                Expect.failure([1002])
            },
            ScenarioCase(
                "7.3.3", "Close 1000 without a reason", sends: "Close 1000, no reason.",
                expectation: "The close is answered with 1000.", rfc: rfc, checks: [.close]
            ) {
                Send.close(code: 1000)
                Expect.close([1000])
            },
            ScenarioCase(
                "7.3.4", "Close 1000 with a short reason", sends: "Close 1000 with reason \"Hello World!\".",
                expectation: "The close is answered with 1000.", rfc: rfc, checks: [.close]
            ) {
                Send.close(code: 1000, reason: "Hello World!")
                Expect.close([1000])
            },
            ScenarioCase(
                "7.3.5", "Close 1000 with a 123-byte reason (the longest allowed)",
                sends: "Close 1000 with a 123-byte reason: a 125-byte control frame.",
                expectation: "The close is answered with 1000.", rfc: rfc, checks: [.close]
            ) {
                Send.close(code: 1000, reason: reason123)
                Expect.close([1000])
            },
            ScenarioCase(
                "7.3.6", "Close 1000 with a 124-byte reason (one too many)",
                sends: "Close 1000 with a 124-byte reason: a 126-byte control frame.",
                expectation: "Control frames carry at most 125 bytes: the peer fails the connection with 1002.",
                rfc: rfc + [Payloads.rfc("5.5")], checks: [.controlFrameLength], closing: .peerFails(codes: [1002])
            ) {
                Send.close(code: 1000, reason: reason124)
                Expect.failure([1002])
            },
            ScenarioCase(
                "7.3.7", "Close 1000 with a 200-byte reason (16-bit length)",
                sends: "Close 1000 with a 200-byte reason, its length in the 16-bit form.",
                expectation: "The peer fails the connection with 1002.",
                rfc: rfc + [Payloads.rfc("5.5")], checks: [.controlFrameLength], closing: .peerFails(codes: [1002])
            ) {
                Send.close(code: 1000, reason: String(repeating: "long reason ", count: 17).prefix(200).description)
                Expect.failure([1002])
            },
            // 1007 names the fault best (§7.4.1), but a close reason is not a message, so 1002 is as fitting.
            ScenarioCase(
                "7.5.1", "Close reason that is not UTF-8", sends: "Close 1000 whose reason is κόσμε, ED A0 80, \"edited\".",
                expectation: "The reason must be UTF-8: the peer fails the connection with 1007 or 1002.",
                rfc: rfc + [Payloads.rfc("8.1")], checks: [.invalidUTF8, .closePayload], closing: .peerFails(codes: [1002, 1007])
            ) {
                Send.close(code: 1000, reason: Payloads.kosmeWithSurrogate)
                Expect.failure([1002, 1007])
            }
        ]
    }

    private static func answered(_ id: CaseID, _ code: UInt16, note: String = "", requirement: Requirement = .must) -> ScenarioCase {
        ScenarioCase(
            id, "Close with valid code \(code)\(note)", sends: "Close \(code).",
            expectation: "The close is answered with \(code) (echoed) or 1000"
                + (requirement == .must ? "." : "; a peer that does not know the code yet is \(requirement.verdictOnMismatch)."),
            rfc: [Payloads.rfc("7.4.1"), Payloads.rfc("5.5.1")] + (requirement == .must ? [] : [Payloads.rfc("7.4.2")]),
            requirement: requirement, checks: [.closeCode],
            closing: requirement == .must ? .clientCloses(code: code, answers: [1000, code]) : .informational
        ) {
            Send.close(code: code)
            Expect.close([1000, code])
        }
    }

    private static var validCodes: [ScenarioCase] {
        let codes: [UInt16] = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999]
        return codes.enumerated().map { answered(CaseID(stringLiteral: "7.7.\($0.offset + 1)"), $0.element) }
            // Registered with IANA after RFC 6455 (§7.4.2 reserves 1000-2999 for such later definitions). No MUST
            // makes a peer accept a code it does not know yet, so not knowing one is NON-STRICT, not FAILED.
            + [UInt16(1012), 1013, 1014].enumerated().map {
                answered(
                    CaseID(stringLiteral: "7.7.\($0.offset + 14)"), $0.element, note: " (registered with IANA after RFC 6455)",
                    requirement: .should)
            }
    }

    private static var invalidCodes: [ScenarioCase] {
        let codes: [UInt16] = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999]
        return codes.enumerated().map { index, code in
            ScenarioCase(
                CaseID(stringLiteral: "7.9.\(index + 1)"), "Close with invalid code \(code)", sends: "Close \(code).",
                expectation: "\(code) may not be sent: the peer fails the connection with 1002.",
                rfc: [Payloads.rfc("7.4.1"), Payloads.rfc("7.4.2")], checks: [.invalidCloseCode],
                closing: .peerFails(codes: [1002])
            ) {
                Send.close(code: code)
                Expect.failure([1002])
            }
        }
    }

    private static var undefinedCodes: [ScenarioCase] {
        [UInt16(5000), 65535].enumerated().map { index, code in
            ScenarioCase(
                CaseID(stringLiteral: "7.13.\(index + 1)"), "Close with code \(code), beyond every defined range", sends: "Close \(code).",
                expectation: "RFC 6455 does not say: recorded, not judged.", rfc: [Payloads.rfc("7.4.2")],
                requirement: .may, checks: [.closeCode], closing: .informational
            ) {
                Send.close(code: code)
                Expect.close()
            }
        }
    }
}
