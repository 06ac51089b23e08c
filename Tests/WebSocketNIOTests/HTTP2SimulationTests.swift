import ConformanceSuite
import ReferenceServer
import Scenario
import Testing
import Transport
import WebSocketCore
import WebSocketNIO
import WireSim

@testable import WSSpecCommand

extension LiveTests {
    /// `--sim` over HTTP/2: the reference server behind the session host's own pipeline (HTTP/1.1 and HTTP/2 on one
    /// port) at one end of a simulated link, the runner's h2c connection at the other, both on virtual time. Among the
    /// live tests, which run one suite at a time, because its catalog runs load both cores.
    @Suite("The catalog over HTTP/2 on the simulated network (RFC 8441, --sim)")
    struct HTTP2SimulationTests {
        static let configuration = LoopbackConformanceTests.configuration

        static func suite() -> InProcessSuite {
            var suite = InProcessSuite.referenceServer(configuration)
            suite.parameters = LoopbackConformanceTests.parameters
            let configuration = configuration
            suite.server = InProcessSessionServer { EchoServer(configuration: configuration) }
            suite.connector = InProcessHTTP2Connector()
            return suite
        }

        /// Outside 0.x (UNIMPLEMENTED over HTTP/2) every case is OK, with the verdicts it has over the simulated HTTP/1.1
        /// upgrade; each one's WebSocket was opened by an extended CONNECT.
        @Test func referenceServerIsConformantAsOverHTTP1() async {
            let cases = LoopbackConformanceTests.cases
            let overHTTP2 = await Self.suite().run(cases, jobs: 2)
            var http1 = InProcessSuite.referenceServer(Self.configuration)
            http1.parameters = LoopbackConformanceTests.parameters
            let overHTTP1 = await http1.run(cases, jobs: 2)
            var compared = 0
            for (h2, h1) in zip(overHTTP2, overHTTP1) {
                if h2.id.section == 0 {
                    #expect(h2.verdict == .unimplemented, "\(h2.summary)")
                    continue
                }
                #expect(h2.passed, "\(h2.summary)")
                #expect(h2.verdict == h1.verdict && h2.closeVerdict == h1.closeVerdict, "\(h2.summary) / \(h1.summary)")
                #expect(h2.handshake?.openingKind == .http2ExtendedConnect, "\(h2.summary)")
                compared += 1
            }
            #expect(compared > 300)
        }

        /// Over TLS too: the reference server's connections TLS first (ALPN h2), the client checking its certificate, the
        /// whole handshake in memory on the link; the verdicts are those over h2c. (TLS draws its own randomness, so
        /// the bytes differ between runs; the verdicts do not.)
        @Test func referenceServerIsConformantOverTLS() async throws {
            let cases = Catalog.cases(CaseSelection(cases: "1.*,2.*,3.*,5.*,6.4.*,7.*,10.*"))
            var overTLS = Self.suite()
            let configuration = Self.configuration
            var server = InProcessSessionServer { EchoServer(configuration: configuration) }
            server.tls = try TLSSettings.serverContext(
                certificateChain: Fixtures.path("tls/server.pem"), privateKey: Fixtures.path("tls/server-key.pem"),
                applicationProtocols: ["h2", "http/1.1"])
            overTLS.server = server
            overTLS.connector = InProcessHTTP2Connector(
                tls: try TLSSettings.clientContext(.caFile(Fixtures.path("tls/ca.pem")), applicationProtocols: ["h2"]))
            let secure = await overTLS.run(cases, jobs: 2)
            let clear = await Self.suite().run(cases, jobs: 2)
            #expect(secure.count == cases.count)
            for (tls, h2c) in zip(secure, clear) {
                #expect(tls.passed, "\(tls.summary)")
                #expect(tls.handshake?.request.contains(":scheme: https") == true, "\(tls.summary)")
                #expect(tls.verdict == h2c.verdict && tls.closeVerdict == h2c.closeVerdict, "\(tls.summary) / \(h2c.summary)")
            }
            // A client that does not trust the server's certificate runs nothing.
            overTLS.connector = InProcessHTTP2Connector(tls: try TLSSettings.clientContext(.system, applicationProtocols: ["h2"]))
            let untrusted = await overTLS.run(Array(cases.prefix(2)))
            for result in untrusted {
                #expect(result.verdict == .failed, "\(result.summary)")
                #expect(result.reasons.joined().contains("TLS"), "\(result.reasons)")
            }
        }

        /// The same seed gives the same run, byte for byte and instant for instant, on an ideal link and on a seeded one
        /// that splits and delays; other seeds change no verdict.
        @Test func deterministicPerSeed() async {
            let cases = Catalog.cases(CaseSelection(cases: "1.1.*,2.3,5.6,6.4.1,7.1.*,7.5.1,9.1.1,12.1.3"))
            let suite = Self.suite()
            for seed: UInt64 in [0, 5] {
                let first = await suite.run(cases, seed: seed, jobs: 2)
                let second = await suite.run(cases, seed: seed, jobs: 1)
                #expect(first == second, "seed \(seed)")
                #expect(first.allSatisfy { $0.passed }, "\(first.filter { !$0.passed }.map(\.summary))")
            }
            let (_, changes) = await suite.sweep(cases, seeds: 4, jobs: 2)
            #expect(changes.isEmpty, "\(changes)")
        }

        /// A server that takes no HTTP/2 (the sans-IO host speaks HTTP/1.1 only) runs no case: each is NOT RUN with the
        /// reason, never run over HTTP/1.1 instead.
        @Test func serverWithoutHTTP2RunsNothing() async {
            var suite = InProcessSuite.referenceServer(Self.configuration)
            suite.connector = InProcessHTTP2Connector()
            let results = await suite.run(Catalog.cases(CaseSelection(cases: "1.1.1,2.1")))
            #expect(results.count == 2)
            for result in results {
                #expect(result.verdict == .failed, "\(result.summary)")
                #expect(!result.passed)
                #expect(result.reasons.joined().contains("HTTP/2"), "\(result.reasons)")
            }
        }

        /// The session host's deadlines keep the simulation's time: a WebSocket left silent over HTTP/2 gets the server's
        /// close (1001, the idle timeout) once the idle timeout has passed in virtual time, which takes no real time.
        @Test func serverIdleTimeoutPassesInVirtualTime() throws {
            let simulation = Simulation(seed: 3, tracing: false)
            // The task runs on the simulation's driving thread, as everything on the link does.
            nonisolated(unsafe) let link = SimulatedLink(simulation: simulation, options: .ideal)
            var limits = ConnectionLimits()
            limits.idleTimeout = .seconds(40)
            let endpoint = InProcessSessionServer(limits: limits) { EchoServer(configuration: EchoServerConfiguration()) }.attach(to: link)
            let clock = ContinuousClock()
            let began = clock.now
            let (silence, input) = try simulation.runTask(timeout: .seconds(300)) {
                let transport = try await InProcessHTTP2Connector().connect(over: link, timeout: .seconds(5)).transport
                let request = ClientHandshakeRequest(target: "/", host: "127.0.0.1", nonce: Array(repeating: 7, count: 16))
                let outcome = await ClientOpening.open(
                    request, over: transport, maskKeys: FixedMaskKeySource(.zero), timeout: .seconds(5))
                guard case .upgraded = outcome else { return (Duration.zero, TransportInput.timedOut) }
                let opened = transport.elapsed
                let input = await transport.read(until: opened + .seconds(200))
                return (transport.elapsed - opened, input)
            }
            endpoint.shutDown()
            _ = simulation.run(until: simulation.now, maxEvents: 100_000)
            simulation.discardPendingEvents()
            #expect(silence >= .seconds(40) && silence < .seconds(41), "\(silence)")
            // A close frame (FIN, opcode 8, unmasked) with code 1001.
            guard case .bytes(let bytes) = input else {
                Issue.record("no close: \(input)")
                return
            }
            #expect(Array(bytes.prefix(4)) == [0x88, bytes[1], 0x03, 0xE9], "\(bytes)")
            #expect(clock.now - began < .seconds(10))
        }

        /// The command line: `--sim --http2-prior-knowledge` runs and passes; `--sim --http2` (TLS) is refused.
        @Test func commandLine() async {
            #expect(await CommandTests.run(["run", "--sim", "--http2-prior-knowledge", "--cases", "1.1.*,5.1,7.1.1", "--format", ""]) == 0)
            #expect(await CommandTests.run(["run", "--sim", "--http2", "--format", ""]) == 2)
        }
    }
}
