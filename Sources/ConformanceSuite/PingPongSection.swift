import Scenario
import WebSocketCore

/// 2.x: pings are answered with the same payload; unsolicited pongs are ignored; oversized pings fail.
enum PingPongSection {
    static let rfc = [Payloads.rfc("5.5.2"), Payloads.rfc("5.5.3")]

    static var cases: [ScenarioCase] {
        let binary: [UInt8] = [0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0x00, 0xFF]
        var cases = [
            pinged("2.1", "Ping without payload", []),
            pinged("2.2", "Ping with a small text payload", Array("Hello, world!".utf8)),
            pinged("2.3", "Ping with a small binary payload", binary),
            pinged("2.4", "Ping with a 125-byte binary payload", Payloads.filler(125, byte: 0xFE)),
            ScenarioCase(
                "2.5", "Ping with a 126-byte payload (control frame too long)",
                sends: "A ping whose payload is 126 bytes: control frames carry at most 125.",
                expectation: "The peer fails the connection with 1002 and sends no pong.",
                rfc: [Payloads.rfc("5.5")], checks: [.controlFrameLength], closing: .peerFails(codes: [1002])
            ) {
                Send.ping(Payloads.filler(126, byte: 0xFE))
                Expect.failure([1002])
            },
            pinged("2.6", "Ping with a 125-byte payload, written one byte at a time", Payloads.filler(125, byte: 0xFE), chopped: true)
        ]
        for (id, title, payload) in [
            ("2.7", "Unsolicited pong without payload", [UInt8]()),
            ("2.8", "Unsolicited pong with a payload", Array("unsolicited pong payload".utf8))
        ] {
            cases.append(
                ScenarioCase(
                    CaseID(stringLiteral: id), title, sends: "A pong no ping asked for.",
                    expectation: "The peer ignores it: nothing comes back; then a normal close.",
                    rfc: [Payloads.rfc("5.5.3")], checks: [.pong]
                ) {
                    Send.pong(payload)
                    Expect.nothing(for: .seconds(1))
                })
        }
        cases.append(
            ScenarioCase(
                "2.9", "Unsolicited pong, then a ping",
                sends: "A pong no ping asked for, then a ping with payload \"ping payload\".",
                expectation: "Only the ping is answered, with its payload.",
                rfc: rfc, checks: [.pong, .ping]
            ) {
                Send.pong(Array("unsolicited pong payload".utf8))
                Send.ping(Array("ping payload".utf8))
                Expect.pong(Array("ping payload".utf8))
            })
        for (id, chopped) in [("2.10", false), ("2.11", true)] {
            cases.append(
                ScenarioCase(
                    CaseID(stringLiteral: id), "Ten pings\(chopped ? ", written one byte at a time" : "")",
                    sends: "Ten pings with payloads \"payload-0\" … \"payload-9\".",
                    expectation: "Ten pongs, in order, each with its ping's payload.",
                    rfc: rfc, checks: [.ping], deadline: .seconds(60)
                ) {
                    if chopped { Chop.writes(ofSize: 1, delay: .milliseconds(1)) }
                    for index in 0..<10 { Send.ping(Array("payload-\(index)".utf8)) }
                    for index in 0..<10 { Expect.pong(Array("payload-\(index)".utf8)) }
                })
        }
        return cases
    }

    private static func pinged(_ id: CaseID, _ title: String, _ payload: [UInt8], chopped: Bool = false) -> ScenarioCase {
        ScenarioCase(
            id, title, sends: "A ping with a \(payload.count)-byte payload\(chopped ? ", one byte per write" : "").",
            expectation: "A pong with the same payload; then a normal close.", rfc: rfc, checks: [.ping]
        ) {
            if chopped { Chop.writes(ofSize: 1, delay: .milliseconds(1)) }
            Send.ping(payload)
            Expect.pong(payload)
        }
    }
}
