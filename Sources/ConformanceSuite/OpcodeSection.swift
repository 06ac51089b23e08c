import Scenario
import WebSocketCore

/// 4.x: reserved opcodes (0x3–0x7 data, 0xB–0xF control) make the peer fail the connection (1002).
enum OpcodeSection {
    static var cases: [ScenarioCase] {
        [(1, "non-control", 3), (2, "control", 11)].flatMap { group, kind, first in
            (0..<5).map { index in
                let opcode = Opcode(rawValue: UInt8(first + index))
                let withPayload = index > 0
                let afterMessage = index >= 2
                let description = "a frame with reserved \(kind) opcode \(opcode.rawValue)\(withPayload ? " and a payload" : "")"
                return ScenarioCase(
                    CaseID(stringLiteral: "4.\(group).\(index + 1)"),
                    "Reserved \(kind) opcode \(opcode.rawValue)\(afterMessage ? " between a message and a ping" : "")",
                    sends: (afterMessage
                        ? "A valid text message; once it is echoed (or 2 s passed), \(description), then a ping"
                        : "\(description.prefix(1).uppercased())\(description.dropFirst())")
                        + (index == 4 ? ", one byte per write." : "."),
                    expectation: "The peer fails the connection with 1002"
                        + (afterMessage ? " and answers no ping; echoing the message before that is OK, not echoing it NON-STRICT." : "."),
                    rfc: [Payloads.rfc("5.2")], checks: [.reservedOpcodes], closing: .peerFails(codes: [1002])
                ) {
                    // The fifth case of each group writes its frames one byte at a time, as Autobahn|Testsuite does.
                    if index == 4 { Chop.writes(ofSize: 1, delay: .milliseconds(1)) }
                    if afterMessage {
                        Send.text("Hello, world!")
                        EchoBeforeFailure.awaitEcho("Hello, world!")
                    }
                    Send.frame(opcode: opcode, payload: withPayload ? Array("reserved opcode payload".utf8) : [])
                    if afterMessage { Send.ping() }
                    Expect.failure([1002])
                }
            }
        }
    }
}
