import ConformanceReport
import ConformanceSuite
import Foundation
import NIOConcurrencyHelpers
import Scenario
import Testing
import WebSocketCore
import WebSocketNIO
import WebSocketTesting

@testable import WSSpecCommand

extension LiveTests {
    /// `wsspec serve-suite`'s URL API (Autobahn|Testsuite's fuzzingserver), driven over loopback the way client
    /// libraries' driver loops drive it, with the built-in client.
    @Suite("Clients under test: the fuzzingserver URL API over TCP")
    struct ServeSuiteTests {
        static let cases = Catalog.clientRole.filter { CaseSelection(cases: "0.9.*,1.1.*,2.*,7.1.1").contains($0.id) }

        /// Opens `path` and returns the session (the caller reads or echoes), or nil when the server refused.
        static func open(_ port: Int, _ path: String, origin: String? = nil) async throws -> (ClientSession, NIOTransport) {
            let url = try WebSocketURL(parsing: "ws://127.0.0.1:\(port)/")
            let transport = try await NIOTransport.connect(to: url, tls: nil, timeout: .seconds(2))
            let request = ClientHandshakeRequest(target: path, host: "127.0.0.1:\(port)", nonce: Array(0..<16), origin: origin)
            do {
                return (
                    try await ClientSession.connect(
                        over: transport, request: request, maskKeys: SeededMaskKeySource(seed: 1),
                        timeout: .seconds(5)), transport
                )
            } catch {
                await transport.finish()
                throw error
            }
        }

        /// The one text message an information endpoint sends.
        static func text(_ port: Int, _ path: String) async throws -> String {
            let (session, transport) = try await open(port, path)
            let message = try await session.receive(timeout: .seconds(5))
            _ = await session.receiveClosure(timeout: .seconds(5))
            await transport.finish()
            return message.text ?? ""
        }

        /// The echo loop of a driver: every message back until the server closes (the built-in `EchoClient`).
        static func runCase(_ port: Int, _ path: String) async {
            guard let url = try? WebSocketURL(parsing: "ws://127.0.0.1:\(port)/"),
                let transport = try? await NIOTransport.connect(to: url, tls: nil, timeout: .seconds(2))
            else { return }
            await EchoClient(target: path, host: "127.0.0.1:\(port)", compression: false, seed: 1, idleTimeout: .seconds(30)).run(over: transport)
            await transport.finish()
        }

        @Test func aDriverLoopRunsEveryCaseAndGetsItsReports() async throws {
            let directory = temporaryDirectory()
            let api = CaseServerAPI(
                cases: Self.cases, parameters: RunParameters(),
                writeReports: { changes in
                    _ = try ReportWriter.write(changes.runs, formats: [.json, .markdown], to: directory)
                })
            let server = try await TransportServer.start { transport in await api.serve(transport) }
            let count = try await Self.text(server.port, "/getCaseCount")
            #expect(Int(count) == Self.cases.count)
            let info = try await Self.text(server.port, "/getCaseInfo?case=1")
            #expect(info == #"{"description":"A wrong Sec-WebSocket-Accept","id":"0.9.1"}"#)
            for number in 1...Self.cases.count { await Self.runCase(server.port, "/runCase?case=\(number)&agent=swift%20client") }
            // By id too: casetuple names a case whatever the selection.
            await Self.runCase(server.port, "/runCase?casetuple=1.1.1&agent=by-id")
            #expect(try await Self.text(server.port, "/getCaseStatus?case=2&agent=swift%20client") == #"{"behavior":"OK"}"#)
            #expect(try await Self.text(server.port, "/getCaseStatus?case=2&agent=nobody") == #"{"behavior":"UNKNOWN"}"#)
            let (session, transport) = try await Self.open(server.port, "/updateReports?agent=swift%20client")
            _ = await session.receiveClosure(timeout: .seconds(5))
            await transport.finish()
            await server.stop()

            let runs = await api.results.runs()
            #expect(runs.map(\.agent) == ["by-id", "swift client"])
            let swift = try #require(runs.last)
            #expect(swift.results.map(\.id) == Self.cases.map(\.id))
            #expect(swift.failures.isEmpty, "\(swift.failures.map { "\($0.id): \($0.reasons)" })")
            let index = try String(contentsOf: directory.appendingPathComponent("index.json"), encoding: .utf8)
            #expect(index.contains("\"swift client\""))
        }

        /// `run-client`'s API: a connection without the run's token, or for another agent, is refused and records
        /// nothing, so a stray connection cannot make a failing client pass (it once took the first agent in sort order).
        @Test func runClientAcceptsOnlyItsOwnAgentWithTheToken() async throws {
            let api = CaseServerAPI(
                cases: Self.cases, parameters: RunParameters(), access: .runClient(agent: "client", token: "t0k3n"),
                writeReports: { _ in })
            let server = try await TransportServer.start { transport in await api.serve(transport) }
            for path in [
                "/runCase/1.1.1/a", "/runCase/1.1.1/client", "/runCase/1.1.1/client/wrong", "/runCase/1.1.1/a/t0k3n",
                "/runCase?casetuple=1.1.1&agent=client", "/getCaseCount", "/updateReports?agent=client"
            ] {
                await #expect(throws: ClientSessionError.self, "\(path)") { _ = try await Self.open(server.port, path) }
            }
            #expect(await api.results.runs().isEmpty)
            await Self.runCase(server.port, "/runCase/1.1.1/client/t0k3n")
            await api.results.waitWhileRunning(agent: "client", within: .seconds(5))
            await server.stop()
            let runs = await api.results.runs()
            #expect(runs.map(\.agent) == ["client"])
            #expect(runs.first?.results.map(\.id.rawValue) == ["1.1.1"])
        }

        /// An agent that asks for its reports without running a case is no agent: it does not count towards
        /// `--exit-after-agents`; an agent that ran some cases gets the rest as FAILED.
        @Test func anAgentWithoutResultsIsNoAgentAndSkippedCasesFail() async throws {
            let updated = NIOLockedValueBox<[String]>([])
            let api = CaseServerAPI(
                cases: Self.cases, parameters: RunParameters(), writeReports: { _ in },
                reportsUpdated: { agent in updated.withLockedValue { $0.append(agent) } })
            let server = try await TransportServer.start { transport in await api.serve(transport) }
            for path in ["/updateReports?agent=bare", "/runCase?casetuple=1.1.1&agent=some", "/updateReports?agent=some"] {
                if path.hasPrefix("/runCase") {
                    await Self.runCase(server.port, path)
                    await api.results.waitWhileRunning(agent: "some", within: .seconds(5))
                    continue
                }
                let (session, transport) = try await Self.open(server.port, path)
                _ = await session.receiveClosure(timeout: .seconds(5))
                await transport.finish()
            }
            await server.stop()
            #expect(updated.withLockedValue { $0 } == ["some"])
            let runs = await api.results.runs(completing: Self.cases)
            #expect(runs.map(\.agent) == ["some"])
            let run = try #require(runs.first)
            #expect(run.results.map(\.id) == Self.cases.map(\.id))
            #expect(run.failures.count == Self.cases.count - 1)
            #expect(run.results.first { $0.id.rawValue == "1.1.2" }?.reasons == ["the client never ran this case"])
            #expect(RunExit.decide(runs, expected: Self.cases.map(\.id)).status == 1)
        }

        /// A page in a local browser may not drive the suite: only no Origin, a loopback one, or one allowed by name.
        @Test func aForeignOriginIsRefused() async throws {
            let api = CaseServerAPI(
                cases: Self.cases, parameters: RunParameters(), origins: OriginPolicy(allowed: ["https://ci.example"]),
                writeReports: { _ in })
            let server = try await TransportServer.start { transport in await api.serve(transport) }
            for origin in ["https://evil.example", "null", "http://127.0.0.1.evil.example", "http://localhost@evil.example"] {
                await #expect(throws: ClientSessionError.self, "\(origin)") { _ = try await Self.open(server.port, "/getCaseCount", origin: origin) }
            }
            for origin in [nil, "http://127.0.0.1:8080", "http://[::1]", "http://localhost:3000", "https://ci.example", "HTTPS://CI.example/"] {
                let (session, transport) = try await Self.open(server.port, "/getCaseCount", origin: origin)
                #expect(try await session.receive(timeout: .seconds(5)).text == "\(Self.cases.count)")
                await transport.finish()
            }
            await server.stop()
        }

        @Test func anUnknownEndpointOrCaseIsRefused() async throws {
            let api = CaseServerAPI(cases: Self.cases, parameters: RunParameters(), writeReports: { _ in })
            let server = try await TransportServer.start { transport in await api.serve(transport) }
            for path in ["/nowhere", "/runCase?case=0&agent=a", "/runCase?case=999&agent=a", "/getCaseInfo?casetuple=99.9"] {
                await #expect(throws: ClientSessionError.self, "\(path)") { _ = try await Self.open(server.port, path) }
            }
            await server.stop()
        }
    }
}
