import ConformanceSuite
import ReferenceServer
import Scenario
import Testing
import WebSocketCore

/// The peer under test is hostile by assumption: silence, garbage and abrupt drops become verdicts with
/// reasons, never a hang or a crash.
@Suite("Hostile and broken peers")
struct HostilePeerTests {
    final class ScriptedServer: ServerSession {
        let onBytes: (ScriptedServer, [UInt8]) -> [ServerAction]
        var state = 0
        init(_ onBytes: @escaping (ScriptedServer, [UInt8]) -> [ServerAction]) { self.onBytes = onBytes }
        func receive(_ bytes: [UInt8]) -> [ServerAction] { onBytes(self, bytes) }
        func timerFired(_ timer: ServerTimer) -> [ServerAction] { [] }
        func transportEnded() -> [ServerAction] { [] }
    }

    static func run(_ ids: String, _ server: @escaping @Sendable () -> any ServerSession) async -> [CaseResult] {
        await InProcessSuite(makeServer: server).run(Catalog.cases(CaseSelection(cases: ids)), jobs: 2)
    }

    @Test func aSilentServerTimesOutEveryCase() async {
        let results = await Self.run("0.1.1,0.3.1,1.1.1,6.4.1", { ScriptedServer { _, _ in [] } })
        for result in results {
            #expect(result.reasons.contains { $0.contains("no HTTP response within 5s") }, "\(result.summary)")
        }
        #expect(results.filter { $0.verdict == .failed }.map(\.id.rawValue) == ["0.1.1", "1.1.1", "6.4.1"])
        #expect(results.first { $0.id == "0.3.1" }?.verdict == .nonStrict) // refused, but without an HTTP answer
    }

    @Test func aServerThatAnswersGarbageFailsTheHandshake() async {
        let results = await Self.run("1.1.1", { ScriptedServer { _, _ in [.write(Array("\u{1}\u{2}garbage\r\n\r\n".utf8)), .closeTransport] } })
        #expect(results[0].verdict == .failed)
        #expect(results[0].reasons[0].contains("not HTTP"), "\(results[0].reasons)")
    }

    @Test func garbageFramesAfterTheUpgradeAreFailedByTheClient() async {
        let results = await Self.run(
            "1.1.2",
            {
                ScriptedServer { server, bytes in
                    guard server.state == 0 else { return [] }
                    server.state = 1
                    let decision = ServerHandshake().respond(toRequestBytes: bytes)
                    return [.write(decision.bytes + [0xFF, 0x00, 0xFF, 0x00])] // RSV bits, reserved opcode 0xF
                }
            })
        #expect(results[0].verdict == .failed)
        #expect(results[0].closeVerdict == .failedByClient)
        #expect(results[0].closing.sentByClient?.code == 1002)
    }

    @Test func aServerThatDropsMidCaseGivesAnUncleanClose() async {
        let results = await Self.run(
            "2.2",
            {
                ScriptedServer { server, bytes in
                    guard server.state == 0 else { return [.closeTransport] }
                    server.state = 1
                    return [.write(ServerHandshake().respond(toRequestBytes: bytes).bytes)]
                }
            })
        #expect(results[0].verdict == .failed)
        #expect(results[0].closeVerdict == .unclean)
        #expect(results[0].closing.droppedBy == .server)
    }

    @Test func anUnansweredExpectationFailsAtItsDeadlineInVirtualTime() async {
        let results = await Self.run(
            "2.1",
            {
                ScriptedServer { server, bytes in
                    guard server.state == 0 else { return [] } // Upgrades, then ignores everything.
                    server.state = 1
                    return [.write(ServerHandshake().respond(toRequestBytes: bytes).bytes)]
                }
            })
        #expect(results[0].verdict == .failed)
        #expect(results[0].reasons.first == "no pong arrived within 2s")
        #expect(results[0].closeVerdict == .unclean)
        // Two seconds for the pong, then the close timeout (two seconds) for the whole closing handshake.
        #expect(results[0].duration == .seconds(4))
    }
}
