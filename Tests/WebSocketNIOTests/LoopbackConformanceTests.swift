import ConformanceSuite
import LiveRun
import ReferenceServer
import Scenario
import Testing
import WebSocketNIO
import WebSocketServer

extension LiveTests {
    @Suite("The catalog over real TCP on loopback")
    struct LoopbackConformanceTests {
        static let configuration = EchoServerConfiguration.withQuickKeepalive
        /// Every protocol case, and load cases that cover large messages, chopped writes and compression (with a
        /// small round-trip budget: the full load sections are `scripts/bench.sh`'s).
        static let cases = Catalog.protocolCases + Catalog.cases(CaseSelection(cases: "9.2.3,9.5.6,12.1.*,13.3.*,13.7.*"))
        static var parameters: RunParameters {
            var parameters = RunParameters(describing: configuration)
            parameters.roundTripBudget = 2 << 10
            return parameters
        }

        static func verdicts(_ results: [CaseResult]) -> [String] {
            results.map { "\($0.id) \($0.verdict)/\($0.closeVerdict)" }
        }

        /// Every case is OK against the reference server over TCP, and the verdicts are those of the same cases
        /// under simulation.
        @Test func referenceServerIsConformantAndMatchesTheSimulation() async throws {
            let live = try await withServer({ try await SessionServer.referenceServer(Self.configuration) }) { server in
                let suite = try LiveSuite(url: server.url(), parameters: Self.parameters)
                try await suite.probe()
                return await suite.run(Self.cases, jobs: 16)
            }
            #expect(live.count == Self.cases.count)
            for result in live {
                let scenario = Catalog.case(result.id)!
                #expect(result.verdict == (scenario.requirement == .may ? .informational : .ok), "\(result.summary)")
                #expect(result.closeVerdict == (scenario.closing == .informational ? .informational : .ok), "\(result.summary)")
            }
            var simulation = InProcessSuite.referenceServer(Self.configuration)
            simulation.parameters = Self.parameters
            let simulated = await simulation.run(Self.cases, jobs: 2)
            #expect(Self.verdicts(live) == Self.verdicts(simulated))
        }

        /// Parallel connections do not change verdicts (sections 1–7, where no case waits on a keepalive clock).
        @Test func verdictsDoNotDependOnJobs() async throws {
            let cases = Catalog.cases(CaseSelection(cases: "1.*,2.*,3.*,4.*,5.*,7.*"))
            let (serial, parallel) = try await withServer({ try await SessionServer.referenceServer(Self.configuration) }) { server in
                let suite = try LiveSuite(url: server.url(), parameters: RunParameters(describing: Self.configuration))
                return (await suite.run(cases, jobs: 1), await suite.run(cases, jobs: 16))
            }
            #expect(Self.verdicts(serial) == Self.verdicts(parallel))
            #expect(serial.map(\.id) == cases.map(\.id))
        }

        /// The same cases over TLS: trusted through the test CA, or with verification off.
        @Test(arguments: [ClientTrust.caFile(Fixtures.path("tls/ca.pem")), .insecure])
        func runsOverTLS(trust: ClientTrust) async throws {
            let tls = try TLSSettings.serverContext(
                certificateChain: Fixtures.path("tls/server.pem"),
                privateKey: Fixtures.path("tls/server-key.pem"))
            let cases = Catalog.cases(CaseSelection(cases: "1.1.*,2.*,5.1*,7.1.*"))
            let results = try await withServer({ try await SessionServer.referenceServer(Self.configuration, tls: tls) }) { server in
                let suite = try LiveSuite(url: server.url(secure: true), parameters: RunParameters(describing: Self.configuration), trust: trust)
                try await suite.probe()
                return await suite.run(cases, jobs: 4)
            }
            #expect(results.count == cases.count)
            for result in results { #expect(result.passed, "\(result.summary)") }
        }

        /// Without the test CA the certificate is not trusted: the probe names TLS as the cause.
        @Test func untrustedCertificateIsATLSError() async throws {
            let tls = try TLSSettings.serverContext(
                certificateChain: Fixtures.path("tls/server.pem"),
                privateKey: Fixtures.path("tls/server-key.pem"))
            let error = try await withServer({ try await SessionServer.referenceServer(Self.configuration, tls: tls) }) { server in
                let suite = try LiveSuite(url: server.url(secure: true), trust: .system)
                return await #expect(throws: ConnectError.self) { try await suite.probe() }
            }
            #expect(error?.cause == .tls)
        }

        @Test func missingCAFileIsAClearError() {
            #expect {
                _ = try LiveSuite(url: try WebSocketURL(parsing: "wss://127.0.0.1:1/"), trust: .caFile("/nonexistent/ca.pem"))
            } throws: { error in
                "\(error)".contains("/nonexistent/ca.pem")
            }
        }
    }
}
