import Scenario
import WebSocketCore

/// 10.1: a large message in many fragments is reassembled.
enum AutoFragmentationSection {
    static var cases: [ScenarioCase] {
        let payload = Payloads.filler(65536)
        return [
            ScenarioCase(
                "10.1.1", "65536-byte text message in 1300-byte fragments",
                sends: "A 65536-byte text message as 50 fragments of 1300 bytes and one of 536, in one write.",
                expectation: "The whole message is echoed (in any fragmentation).",
                rfc: [Payloads.rfc("5.4")], checks: [.fragmentation]
            ) {
                for start in stride(from: 0, to: payload.count, by: 1300) {
                    let end = min(payload.count, start + 1300)
                    Send.frame(fin: end == payload.count, opcode: start == 0 ? .text : .continuation, payload: Array(payload[start..<end]))
                }
                Expect.message(.text(String(decoding: payload, as: UTF8.self)), within: .seconds(5))
            }
        ]
    }
}
