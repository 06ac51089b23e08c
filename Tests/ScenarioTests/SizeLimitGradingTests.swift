import ConformanceSuite
import ReferenceServer
import Scenario
import Testing

/// RFC 6455 lets an endpoint refuse a message too big to process with 1009 (§7.4.1) and sets no size it must
/// take: a refusal of a message over 1 MiB is a limit (INFORMATIONAL), of a smaller one a failure.
@Suite("A 1009 for a large message is a limit, for a small one a failure")
struct SizeLimitGradingTests {
    static func run(_ id: String, limit: UInt64) async -> CaseResult? {
        var configuration = EchoServerConfiguration()
        configuration.connection.maxMessageLength = limit
        configuration.connection.maxFramePayloadLength = limit
        let server = configuration
        let suite = InProcessSuite { EchoServer(configuration: server) }
        return await suite.run(Catalog.cases(CaseSelection(cases: id))).first
    }

    @Test func aServerThatTakes2MiBIsRecordedNotFailedOn4MiB() async throws {
        let refused = try #require(await Self.run("9.1.4", limit: 2 << 20))
        #expect(refused.verdict == .informational && refused.closeVerdict == .informational, "\(refused.verdict)/\(refused.closeVerdict)")
        #expect(refused.reasons.contains { $0.contains("1009, RFC 6455 §7.4.1") }, "\(refused.reasons)")
        let taken = try #require(await Self.run("9.1.3", limit: 2 << 20))
        #expect(taken.verdict == .ok)
    }

    @Test func aServerThatTakes64KiBFailsOn256KiB() async throws {
        let refused = try #require(await Self.run("9.1.2", limit: 64 << 10))
        #expect(refused.verdict == .failed, "\(refused.verdict): \(refused.reasons)")
    }
}
