import ReferenceServer
import Scenario
import Testing
import WebSocketCore

/// Consecutive sends leave in one write, as a program's writes do within one turn of its event loop; a
/// step that waits writes what is queued first.
@Suite("How the scripted client paces its writes")
struct WritePacingTests {
    static func sentAfterTheHandshake(_ steps: @escaping @Sendable () -> [Step]) -> [WireRecord] {
        let scenario = ScenarioCase("100.1", "pacing", sends: "frames", expectation: "echoes", rfc: ["6455 §5.4"]) {
            steps()
        }
        let result = InProcessSuite.referenceServer().run(scenario)
        #expect(result.passed, "\(result.summary)")
        return Array(result.wire.filter { $0.direction == .sent }.dropFirst())
    }

    @Test func consecutiveSendsLeaveTogether() {
        let sent = Self.sentAfterTheHandshake {
            [Send.text("one"), Send.text("two"), .expect(Expect.text("one")), .expect(Expect.text("two"))]
        }
        // Both frames in one write, then the close frame in another.
        #expect(sent.count == 2)
        #expect(sent.first?.length == 2 * (2 + 4 + 3))
    }

    @Test func aTurnOfTheLoopSeparatesThem() {
        let sent = Self.sentAfterTheHandshake {
            [Send.text("one"), Wait.turn, Send.text("two"), .expect(Expect.text("one")), .expect(Expect.text("two"))]
        }
        #expect(sent.count == 3)
        #expect(sent.prefix(2).map(\.length) == [9, 9])
    }
}
