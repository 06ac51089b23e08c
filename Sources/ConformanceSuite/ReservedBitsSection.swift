import Scenario
import WebSocketCore

/// 3.x: RSV bits that no extension negotiated make the peer fail the connection (1002).
enum ReservedBitsSection {
    static var cases: [ScenarioCase] {
        let rfc = [Payloads.rfc("5.2")]
        /// Autobahn numbers the bits as a 3-bit value: 4 = RSV1, 2 = RSV2, 1 = RSV3.
        func bits(_ value: Int) -> (Bool, Bool, Bool) { (value & 4 != 0, value & 2 != 0, value & 1 != 0) }
        var cases = [
            ScenarioCase(
                "3.1", "Text message with RSV = 1",
                sends: "A small text frame with RSV3 set.",
                expectation: "The peer fails the connection with 1002 and echoes nothing.",
                rfc: rfc, checks: [.reservedBits], closing: .peerFails(codes: [1002])
            ) {
                Send.frame(rsv3: true, opcode: .text, payload: Array("Hello, world!".utf8))
                Expect.failure([1002])
            }
        ]
        for (number, value, how) in [
            (2, 2, "the last two in one write"),
            (3, 3, "the last two 100 ms apart"), (4, 4, "one byte per write")
        ] {
            let (r1, r2, r3) = bits(value)
            cases.append(
                ScenarioCase(
                    CaseID(stringLiteral: "3.\(number)"), "Text, then text with RSV = \(value), then ping, \(how)",
                    sends: "A valid text message; once it is echoed (or 2 s passed), a text frame with "
                        + "RSV = \(value), then a ping; \(how).",
                    expectation: "The peer fails the connection with 1002 and answers no ping; echoing the first "
                        + "message before that is OK, not echoing it NON-STRICT.",
                    rfc: rfc, checks: [.reservedBits], closing: .peerFails(codes: [1002])
                ) {
                    if number == 4 { Chop.writes(ofSize: 1, delay: .milliseconds(1)) }
                    Send.text("Hello, world!")
                    EchoBeforeFailure.awaitEcho("Hello, world!")
                    Send.frame(rsv1: r1, rsv2: r2, rsv3: r3, opcode: .text, payload: Array("Hello, world!".utf8))
                    if number == 3 { Wait.for(.milliseconds(100)) }
                    Send.ping()
                    Expect.failure([1002])
                })
        }
        for (number, value, opcode, kind) in [(5, 5, Opcode.binary, "Binary message"), (6, 6, .ping, "Ping"), (7, 7, .close, "Close")] {
            let (r1, r2, r3) = bits(value)
            cases.append(
                ScenarioCase(
                    CaseID(stringLiteral: "3.\(number)"), "\(kind) with RSV = \(value)",
                    sends: "A \(kind.lowercased()) frame with RSV = \(value).",
                    expectation: "The peer fails the connection with 1002.",
                    rfc: rfc, checks: [.reservedBits], closing: .peerFails(codes: [1002])
                ) {
                    Send.frame(
                        rsv1: r1, rsv2: r2, rsv3: r3, opcode: opcode,
                        payload: opcode == .close ? [0x03, 0xE8] : Payloads.filler(8, byte: 0xFE))
                    Expect.failure([1002])
                })
        }
        return cases
    }
}
