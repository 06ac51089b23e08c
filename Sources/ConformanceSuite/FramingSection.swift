import Scenario
import WebSocketCore

/// 1.x: text and binary messages of every length form (7-bit, 16-bit, 64-bit), echoed back.
enum FramingSection {
    static let lengths = [0, 125, 126, 127, 128, 65535, 65536]

    static var cases: [ScenarioCase] {
        [(1, Opcode.text, "Text", UInt8(0x2A)), (2, .binary, "Binary", 0xFE)].flatMap { group, opcode, kind, byte in
            var cases = lengths.enumerated().map { index, length in
                echo(
                    id: "1.\(group).\(index + 1)", kind: kind, opcode: opcode, payload: Payloads.filler(length, byte: byte),
                    title: "\(kind) message with payload length \(length)", chop: nil)
            }
            cases.append(
                echo(
                    id: "1.\(group).8", kind: kind, opcode: opcode, payload: Payloads.filler(65536, byte: byte),
                    title: "\(kind) message with payload length 65536, written in 997-byte chops", chop: 997))
            return cases
        }
    }

    private static func echo(id: CaseID, kind: String, opcode: Opcode, payload: [UInt8], title: String, chop: Int?) -> ScenarioCase {
        let matcher: MessageMatcher = opcode == .text ? .text(String(decoding: payload, as: UTF8.self)) : .binary(payload)
        return ScenarioCase(
            id, title,
            sends: "One unfragmented \(kind.lowercased()) frame with a \(payload.count)-byte payload"
                + (chop.map { ", its bytes written \($0) at a time" } ?? ""),
            expectation: "The same message is echoed back; then a normal close.",
            rfc: [Payloads.rfc("5.2"), Payloads.rfc("5.6")], checks: [.framing]
        ) {
            if let chop { Chop.writes(ofSize: chop) }
            Send.frame(opcode: opcode, payload: payload)
            Expect.message(matcher, within: .seconds(5))
        }
    }
}
