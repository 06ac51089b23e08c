import ConformanceSuite
import ReferenceServer
import Scenario
import Testing
import Transport
import WebSocketCore
import WireSim

/// The opening handshake is the transport's: a case about the HTTP/1.1 upgrade is UNIMPLEMENTED, with the reason,
/// under a transport that opens WebSockets another way, and every other case runs and is judged as before.
@Suite("Cases that are about one opening handshake")
struct OpeningHandshakeKindTests {
    /// A transport that says it opens (and accepts) WebSockets by extended CONNECT, and does the HTTP/1.1 upgrade
    /// underneath: what the runner sees of a transport is its kind, so the verdicts may not change otherwise.
    final class ClaimingTransport: ByteTransport {
        struct Claim: ClientOpeningHandshake, ServerOpeningHandshake {
            var kind: OpeningHandshakeKind { .http2ExtendedConnect }

            func open(
                _ request: ClientHandshakeRequest, over transport: any ByteTransport, sending bytes: [UInt8]?,
                configuration: Connection.Configuration, maskKeys: any MaskKeySource, timeout: Duration,
                send: (([UInt8]) async -> Void)?, received: ([UInt8]) -> Void
            ) async -> ClientOpening.Outcome {
                await HTTP1Upgrade().open(
                    request, over: transport, sending: bytes, configuration: configuration, maskKeys: maskKeys,
                    timeout: timeout, send: send, received: received)
            }

            func accept(
                over transport: any ByteTransport, maxHeadSize: Int, configuration: Connection.Configuration,
                deadline: Duration, received: ([UInt8]) -> Void, decide: (HTTPRequestHead) -> ServerHandshake.Decision
            ) async -> ServerOpening.Outcome {
                await HTTP1Upgrade().accept(
                    over: transport, maxHeadSize: maxHeadSize, configuration: configuration, deadline: deadline,
                    received: received, decide: decide)
            }
        }

        let base: any ByteTransport
        /// Bytes written and reads made: a case turned away before it starts does neither.
        private(set) var traffic = 0

        init(_ base: any ByteTransport) { self.base = base }

        var elapsed: Duration { base.elapsed }
        func write(_ bytes: [UInt8], until deadline: Duration) async -> Bool {
            traffic += 1
            return await base.write(bytes, until: deadline)
        }
        func read(until deadline: Duration) async -> TransportInput {
            traffic += 1
            return await base.read(until: deadline)
        }
        func close() async { await base.close() }
        func abort() async { await base.abort() }
        var openingHandshake: any ClientOpeningHandshake { Claim() }
        var acceptingHandshake: any ServerOpeningHandshake { Claim() }
    }

    /// Runs one case against the reference server over an ideal simulated link, through the claiming transport
    /// or straight.
    static func run(_ id: CaseID, claiming: Bool) throws -> (result: CaseResult, traffic: Int) {
        let scenario = try #require(Catalog.case(id))
        let simulation = Simulation(seed: 1, tracing: false)
        defer { simulation.discardPendingEvents() }
        let link = SimulatedLink(simulation: simulation, options: .ideal)
        let server = SimulatedServerHost(link: link, session: EchoServer())
        defer { withExtendedLifetime(server) {} } // The link holds its endpoints weakly.
        let plain = SimulatedTransport(link: link)
        return try simulation.runTask {
            guard claiming else { return (await ScenarioRunner.run(scenario, on: plain, seed: 7), 0) }
            let claimed = ClaimingTransport(plain)
            return (await ScenarioRunner.run(scenario, on: claimed, seed: 7), claimed.traffic)
        }
    }

    @Test("a handshake-section case is UNIMPLEMENTED under another handshake, and touches nothing", arguments: ["0.1.1", "0.4.2"])
    func handshakeCaseIsUnimplemented(id: String) throws {
        let plain = try Self.run(CaseID(stringLiteral: id), claiming: false).result
        #expect(plain.verdict == .ok)
        let (claimed, traffic) = try Self.run(CaseID(stringLiteral: id), claiming: true)
        #expect(claimed.verdict == .unimplemented)
        #expect(claimed.reasons.first?.contains("this run opens WebSockets by extended CONNECT") == true, "\(claimed.reasons)")
        #expect(claimed.reasons.first?.contains("the HTTP/1.1 upgrade (RFC 6455 §4)") == true, "\(claimed.reasons)")
        #expect(traffic == 0)
    }

    @Test("every other case is judged the same whichever handshake opened it", arguments: ["1.1.1", "2.3", "5.9", "6.4.1", "7.1.6", "12.1.3"])
    func otherCasesAreUnchanged(id: String) throws {
        let plain = try Self.run(CaseID(stringLiteral: id), claiming: false).result
        let (claimed, traffic) = try Self.run(CaseID(stringLiteral: id), claiming: true)
        #expect(traffic > 0)
        #expect(claimed.verdict == plain.verdict && claimed.closeVerdict == plain.closeVerdict)
        #expect(claimed.reasons == plain.reasons)
        #expect(claimed.observed == plain.observed)
        #expect(claimed.wire == plain.wire)
        // The record says which handshake the transport claimed; the rest of it is the same.
        #expect(claimed.handshake?.opening == .http2ExtendedConnect && plain.handshake?.opening == .http1Upgrade)
        var unclaimed = claimed.handshake
        unclaimed?.opening = .http1Upgrade
        #expect(unclaimed == plain.handshake)
    }

    @Test("in the server's role the accepting handshake decides: the client-role handshake cases are UNIMPLEMENTED")
    func serverRoleUsesTheAcceptingHandshake() throws {
        let scenario = try #require(Catalog.clientRole.first { $0.id == CaseID("0.9.1") })
        let simulation = Simulation(seed: 1, tracing: false)
        defer { simulation.discardPendingEvents() }
        let link = SimulatedLink(simulation: simulation, options: .ideal)
        let plain = SimulatedTransport(link: link)
        let (result, traffic) = try simulation.runTask {
            let claimed = ClaimingTransport(plain)
            return (await ScenarioRunner.run(scenario, on: claimed, seed: 7, role: .server), claimed.traffic)
        }
        #expect(result.verdict == .unimplemented, "\(result.reasons)")
        #expect(traffic == 0)
    }
}
