import Scenario
import WebSocketCore

/// 6.x: text must be UTF-8. Valid text is echoed whatever its fragmentation; invalid text fails the
/// connection with 1007, and (6.4.x) as soon as the first impossible byte arrives.
enum UTF8Section {
    static let rfc = [Payloads.rfc("8.1"), Payloads.rfc("5.6")]

    static var cases: [ScenarioCase] {
        basics + failFast + sequences
    }

    static func isValid(_ bytes: [UInt8]) -> Bool { UTF8Validator.validate(bytes) == .valid }

    static func echoed(_ bytes: [UInt8]) -> MessageMatcher {
        .matching("text message \(ObservedEvent.summarize(bytes, asText: true))") { opcode, payload in
            opcode == .text && payload == bytes
        }
    }

    private static var basics: [ScenarioCase] {
        let mixed = Array(Payloads.mixedText.utf8)
        return [
            ScenarioCase(
                "6.1.1", "Empty text message", sends: "A text frame with no payload.",
                expectation: "An empty text message is echoed.", rfc: rfc, checks: [.utf8]
            ) {
                Send.text("")
                Expect.text("")
            },
            ScenarioCase(
                "6.1.2", "Empty text message in three empty fragments", sends: "Three empty frames: text, continuation, continuation (FIN).",
                expectation: "An empty text message is echoed.", rfc: rfc, checks: [.utf8, .fragmentation]
            ) {
                Send.frame(fin: false, opcode: .text)
                Send.frame(fin: false, opcode: .continuation)
                Send.frame(opcode: .continuation)
                Expect.text("")
            },
            ScenarioCase(
                "6.1.3", "Text message with empty first and last fragments",
                sends: "An empty text frame, a continuation with \"middle frame payload\", an empty final continuation.",
                expectation: "\"middle frame payload\" is echoed.", rfc: rfc, checks: [.utf8, .fragmentation]
            ) {
                Send.frame(fin: false, opcode: .text)
                Send.frame(fin: false, opcode: .continuation, payload: Array("middle frame payload".utf8))
                Send.frame(opcode: .continuation)
                Expect.text("middle frame payload")
            },
            ScenarioCase(
                "6.2.1", "Valid UTF-8 in one frame", sends: "\(Payloads.mixedText) as one text frame.",
                expectation: "The text is echoed.", rfc: rfc, checks: [.utf8]
            ) {
                Send.text(Payloads.mixedText)
                Expect.text(Payloads.mixedText)
            },
            ScenarioCase(
                "6.2.2", "Valid UTF-8 in two fragments split between characters",
                sends: "\(Payloads.mixedText) as two text fragments, split on a character boundary.",
                expectation: "The text is echoed.", rfc: rfc, checks: [.utf8, .fragmentation]
            ) {
                Send.frame(fin: false, opcode: .text, payload: Array(mixed.prefix(15)))
                Send.frame(opcode: .continuation, payload: Array(mixed.dropFirst(15)))
                Expect.text(Payloads.mixedText)
            },
            ScenarioCase(
                "6.2.3", "Valid UTF-8 in one-byte fragments, split inside characters",
                sends: "\(Payloads.mixedText) as text fragments of one byte each: some end inside a character.",
                expectation: "The text is echoed: validity is a property of the whole message.",
                rfc: rfc, checks: [.utf8, .fragmentation]
            ) {
                Send.fragmented(.text, mixed, inFrames: mixed.count)
                Expect.text(Payloads.mixedText)
            },
            ScenarioCase(
                "6.2.4", "Valid UTF-8 in one-byte fragments, split inside characters",
                sends: "κόσμε as eleven text fragments of one byte each: most end inside a character.",
                expectation: "The text is echoed: validity is a property of the whole message.",
                rfc: rfc, checks: [.utf8, .fragmentation]
            ) {
                Send.fragmented(.text, Payloads.kosme, inFrames: Payloads.kosme.count)
                Expect.message(echoed(Payloads.kosme))
            },
            ScenarioCase(
                "6.3.1", "Invalid UTF-8 in one frame", sends: "κόσμε, a UTF-16 surrogate (ED A0 80), then \"edited\".",
                expectation: "The peer fails the connection with 1007.", rfc: rfc, checks: [.utf8, .invalidUTF8],
                closing: .peerFails(codes: [1007])
            ) {
                Send.text(bytes: Payloads.kosmeWithSurrogate)
                Expect.failure([1007])
            },
            ScenarioCase(
                "6.3.2", "Invalid UTF-8 in one-byte fragments",
                sends: "The 6.3.1 payload as text fragments of one byte each.",
                expectation: "The peer fails the connection with 1007.", rfc: rfc, checks: [.utf8, .invalidUTF8, .fragmentation],
                closing: .peerFails(codes: [1007])
            ) {
                Send.fragmented(.text, Payloads.kosmeWithSurrogate, inFrames: Payloads.kosmeWithSurrogate.count)
                Expect.failure([1007])
            }
        ]
    }

    /// 6.4.x: the text turns invalid in the middle part; a fail-fast peer fails before the last part is sent.
    private static var failFast: [ScenarioCase] {
        let first = Payloads.kosme, last = Array("edited".utf8)
        let cases: [(CaseID, String, [[UInt8]], Bool)] = [
            (
                "6.4.1", "three fragments; the second is an out-of-range code point (F4 90 80 80)",
                [first, [0xF4, 0x90, 0x80, 0x80], last], true
            ),
            (
                "6.4.2", "three fragments; the first ends with F4, the second begins 90 (impossible after F4)",
                [first + [0xF4], [0x90, 0x80, 0x80], last], true
            ),
            (
                "6.4.3", "one frame in three writes; the second write holds F4 90 80 80",
                [first, [0xF4, 0x90, 0x80, 0x80], last], false
            ),
            (
                "6.4.4", "one frame in three writes; the second write is the single impossible byte 90 after F4",
                [first + [0xF4], [0x90], [0x80, 0x80] + last], false
            )
        ]
        return cases.map { id, how, parts, asFragments in
            ScenarioCase(
                id, "Fail fast on invalid UTF-8: \(how)",
                sends: "Invalid text in \(how); a 1 s pause after each of the first two parts.",
                expectation: "The first part is accepted. The peer fails the connection with 1007 as soon as the "
                    + "impossible byte arrives (OK), or only after the whole message (NON-STRICT).",
                rfc: rfc, checks: [.utf8, .invalidUTF8, .failFast], closing: .peerFails(codes: [1007]),
                deadline: .seconds(60)
            ) {
                if asFragments {
                    Send.frame(fin: false, opcode: .text, payload: parts[0])
                } else {
                    Send.raw(zeroMaskedHeader(payloadLength: parts.joined().count) + parts[0])
                }
                Expect.nothing(for: .seconds(1))
                if asFragments {
                    Send.frame(fin: false, opcode: .continuation, payload: parts[1])
                } else {
                    Send.raw(parts[1])
                }
                OneOf {
                    Alternative(.ok, "fails as soon as the impossible byte arrives") { Expect.failure([1007], within: .seconds(1)) }
                    Alternative(.nonStrict, "waits for the rest of the message") { Expect.nothing(for: .seconds(1)) }
                }
                if asFragments { Send.frame(opcode: .continuation, payload: parts[2]) } else { Send.raw(parts[2]) }
                Expect.failure([1007])
            }
        }
    }

    /// The header of a text frame masked with a zero key, so that its payload can follow as it is.
    private static func zeroMaskedHeader(payloadLength: Int) -> [UInt8] {
        var header: [UInt8] = []
        FrameSerializer.appendHeader(
            FrameHeader(
                fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: .text, maskKey: .zero,
                payloadLength: UInt64(payloadLength),
                lengthEncoding: .minimal(for: UInt64(payloadLength))), to: &header)
        return header
    }

    /// 6.5–6.23: one case per byte sequence, sent as a single text frame.
    private static var sequences: [ScenarioCase] {
        UTF8Sequences.groups.enumerated().flatMap { groupIndex, group in
            group.sequences.enumerated().map { index, bytes in
                let valid = isValid(bytes)
                let hex = ObservedEvent.hex(bytes)
                return ScenarioCase(
                    CaseID(stringLiteral: "6.\(groupIndex + 5).\(index + 1)"), "\(group.title): 0x\(hex)",
                    sends: "A text frame whose payload is 0x\(hex) (\(valid ? "valid" : "not valid") UTF-8).",
                    expectation: valid ? "The text is echoed." : "The peer fails the connection with 1007.",
                    rfc: rfc, checks: valid ? [.utf8] : [.utf8, .invalidUTF8],
                    closing: valid ? .clientCloses() : .peerFails(codes: [1007])
                ) {
                    Send.text(bytes: bytes)
                    if valid { Expect.message(echoed(bytes)) } else { Expect.failure([1007]) }
                }
            }
        }
    }
}
