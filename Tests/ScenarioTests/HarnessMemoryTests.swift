import ConformanceSuite
import Scenario
import Testing
import WebSocketCore

/// What a server under test sends cannot exhaust the harness: decoded (inflated) bytes count toward a case's
/// budget, messages are bounded, and a result keeps a bounded part of what the case saw.
@Suite("The harness's memory against a hostile server")
struct HarnessMemoryTests {
    typealias ScriptedServer = HostilePeerTests.ScriptedServer

    /// Upgrades (accepting permessage-deflate when offered), then answers every later read with `flood`.
    static func upgradingThen(deflate: Bool = false, _ flood: @escaping @Sendable (Connection?) -> [UInt8]) -> @Sendable () -> any ServerSession {
        {
            var connection: Connection?
            return ScriptedServer { server, bytes in
                if server.state == 0 {
                    server.state = 1
                    let decision = ServerHandshake(permessageDeflate: deflate ? PerMessageDeflatePolicy() : nil).respond(toRequestBytes: bytes)
                    if case .accept(_, let negotiated) = decision {
                        var configuration = Connection.Configuration()
                        configuration.permessageDeflate = negotiated.permessageDeflate
                        connection = Connection(role: .server, configuration: configuration)
                    }
                    return [.write(decision.bytes + flood(connection))]
                }
                return [.write(flood(connection))]
            }
        }
    }

    @Test func inflatedBytesCountTowardTheCasesBudget() async throws {
        // Each message is a megabyte of zeros, about a kilobyte on the wire: without counting what it inflates to,
        // the client holds gigabytes before the wire budget notices.
        let results = await HostilePeerTests.run(
            "12.1.1",
            Self.upgradingThen(deflate: true) { connection in
                guard let connection else { return [] }
                for _ in 0..<8 { try? connection.send(binary: [UInt8](repeating: 0, count: 1 << 20)) }
                return connection.takeOutbound()
            })
        let result = try #require(results.first)
        #expect(result.verdict == .failed)
        #expect(result.reasons.contains { $0.contains("once inflated") }, "\(result.reasons)")
        let wire = result.wire.filter { $0.direction == .received }.reduce(0) { $0 + $1.length }
        #expect(wire < RunParameters().maxReceivedBytes / 8) // Stopped by what the bytes inflated to, not by the wire.
    }

    @Test func aMessageLargerThanTheCatalogNeedsIsRefusedBeforeItArrives() async throws {
        // A frame that announces 63 MiB: the client refuses it with 1009 on reading its header.
        let header: [UInt8] = [0x82, 127] + withUnsafeBytes(of: UInt64(63 << 20).bigEndian, Array.init)
        let results = await HostilePeerTests.run("1.1.1", Self.upgradingThen { _ in header + [UInt8](repeating: 0, count: 64 << 10) })
        let result = try #require(results.first)
        #expect(result.verdict == .failed)
        #expect(result.closing.sentByClient?.code == 1009, "\(result.summary)")
    }

    @Test func aResultKeepsTheStartAndEndOfAFlood() async throws {
        // 100 000 empty text frames: the case sees them all (and fails at its frame budget); its result keeps
        // 1 100 events, so its report stays small.
        let emptyFrames = [UInt8](repeating: 0, count: 2 * 100_000).indices.map { UInt8($0 % 2 == 0 ? 0x81 : 0x00) }
        let results = await HostilePeerTests.run("1.1.1", Self.upgradingThen { _ in emptyFrames })
        let result = try #require(results.first)
        #expect(result.verdict == .failed)
        #expect(result.observed.count <= Observation.keptAtStart + Observation.keptAtEnd + 1)
        #expect(result.observed.contains { if case .omitted(let count) = $0.event { count > 10_000 } else { false } })
        let keptWire = result.wire.reduce(0) { $0 + $1.bytes.count }
        #expect(keptWire <= 2 * RunParameters().wireLogLimit + 64 << 10)
    }

    @Test func longMessagesKeepTheirStartAndTheirLength() {
        let log = [Observation(time: .zero, event: .message(.binary, [UInt8](repeating: 7, count: 100_000)))]
        let kept = Observation.kept(log)
        guard case .messageStart(.binary, let prefix, let length) = kept[0].event else {
            Issue.record("expected the start of the message, got \(kept[0].event)")
            return
        }
        #expect(prefix.count == Observation.keptPayload && length == 100_000)
        #expect(kept[0].event.description == log[0].event.description) // A reader sees the same line.
    }

    @Test func aRunKeepsLessOnceItsResultsHoldTheirBudget() {
        var scenario = CaseResult.notRun(ScenarioCase("300.9", "x", sends: "", expectation: "", rfc: []) {}, reason: "", seed: nil)
        scenario.wire = [WireRecord(time: .zero, direction: .received, bytes: [UInt8](repeating: 1, count: 1 << 20), length: 1 << 20)]
        scenario.observed = (0..<2_000).map { Observation(time: .milliseconds($0), event: .ping([])) }
        var retention = RunRetention()
        var kept: [CaseResult] = []
        for _ in 0..<20 {
            var result = scenario
            retention.fit(&result)
            kept.append(result)
        }
        let wire = kept.reduce(0) { $0 + $1.wire.reduce(0) { $0 + $1.bytes.count } }
        let events = kept.reduce(0) { $0 + $1.observed.count }
        #expect(wire <= RunRetention.wireBudget)
        #expect(events <= RunRetention.eventBudget + 20 * 26)
        #expect(kept.last?.wire.first?.length == 1 << 20) // Lengths stay when the bytes go.
        #expect(kept.last?.observed.count == 26) // 20 first, the count left out, 5 last.
        #expect(kept.first?.observed.count == 2_000)
    }
}
