import Scenario
import WebSocketCore

/// 10.1: a large message in many fragments is reassembled.
enum AutoFragmentationSection {
    static var cases: [ScenarioCase] {
        let payload = Payloads.filler(65536)
        return [
            ScenarioCase("10.1.1", "65536-byte text message in 1300-byte fragments",
                         sends: "A 65536-byte text message as 51 fragments of at most 1300 bytes.",
                         expectation: "The whole message is echoed (in any fragmentation).",
                         rfc: [Payloads.rfc("5.4")], checks: ["fragmentation"]) {
                Send.fragmented(.text, payload, into: (payload.count + 1299) / 1300)
                Expect.message(.text(String(decoding: payload, as: UTF8.self)), within: .seconds(5))
            },
        ]
    }
}
