import ConformanceSuite
import Foundation
import LiveRun
import NIOCore
import NIOHTTP2
import NIOPosix
import ReferenceServer
import Scenario
import Testing
import WebSocketNIO
import WebSocketRoutes
import WebSocketServer

@testable import WSSpecCommand

extension LiveTests {
    /// WebSockets over HTTP/2 (RFC 8441): the runner opens each case's WebSocket as an extended CONNECT on a stream
    /// of its own connection, and the reference server takes them on the port it serves HTTP/1.1 on.
    @Suite("The catalog over HTTP/2 on loopback (RFC 8441)")
    struct HTTP2LoopbackTests {
        static let configuration = LoopbackConformanceTests.configuration

        static func suite(_ server: SessionServer, secure: Bool = false, trust: ClientTrust = .system) throws -> LiveSuite {
            try LiveSuite(
                url: server.url(secure: secure), parameters: LoopbackConformanceTests.parameters, trust: trust, http2: true)
        }

        /// Every case but the HTTP/1.1 upgrade's (0.x, UNIMPLEMENTED with the reason) is OK over h2c, with the verdicts
        /// the same cases have over HTTP/1.1: only the opening handshake differs.
        @Test func referenceServerIsConformantOverH2cAsOverHTTP1() async throws {
            let cases = LoopbackConformanceTests.cases
            let (overHTTP2, overHTTP1) = try await withServer({ try await SessionServer.referenceServer(Self.configuration) }) {
                server in
                let http2 = try Self.suite(server)
                try await http2.probe()
                let http1 = try LiveSuite(url: server.url(), parameters: LoopbackConformanceTests.parameters)
                return (await http2.run(cases, jobs: 16), await http1.run(cases, jobs: 16))
            }
            #expect(overHTTP2.count == cases.count)
            var compared = 0
            for (h2, h1) in zip(overHTTP2, overHTTP1) {
                if h2.id.section == 0 {
                    #expect(h2.verdict == .unimplemented, "\(h2.summary)")
                    #expect(h2.reasons.joined().contains("HTTP/1.1 upgrade"), "\(h2.summary)")
                    continue
                }
                #expect(h2.verdict == h1.verdict && h2.closeVerdict == h1.closeVerdict, "\(h2.summary) / \(h1.summary)")
                #expect(h2.passed, "\(h2.summary)")
                #expect(h2.handshake?.request.contains(":protocol: websocket") == true)
                #expect(h2.handshake?.response?.hasPrefix(":status: 200") == true)
                compared += 1
            }
            #expect(compared > 300)
        }

        /// Parallel streams do not change verdicts (sections 1–5 and 7), as over TCP.
        @Test func verdictsDoNotDependOnJobs() async throws {
            let cases = Catalog.cases(CaseSelection(cases: "1.*,2.*,3.*,4.*,5.*,7.*"))
            let (serial, parallel) = try await withServer({ try await SessionServer.referenceServer(Self.configuration) }) { server in
                let suite = try Self.suite(server)
                return (await suite.run(cases, jobs: 1), await suite.run(cases, jobs: 16))
            }
            #expect(LoopbackConformanceTests.verdicts(serial) == LoopbackConformanceTests.verdicts(parallel))
            #expect(serial.allSatisfy { $0.passed })
        }

        /// Over TLS, HTTP/2 is agreed by ALPN `h2`, beside HTTP/1.1 on the same port.
        @Test func runsOverTLSAgreedByALPN() async throws {
            let tls = try TLSSettings.serverContext(
                certificateChain: Fixtures.path("tls/server.pem"), privateKey: Fixtures.path("tls/server-key.pem"),
                applicationProtocols: ["h2", "http/1.1"])
            let cases = Catalog.cases(CaseSelection(cases: "1.1.*,2.*,5.1*,7.1.*,9.1.1"))
            let (overHTTP2, overHTTP1) = try await withServer({ try await SessionServer.referenceServer(Self.configuration, tls: tls) }) {
                server in
                let http2 = try Self.suite(server, secure: true, trust: .caFile(Fixtures.path("tls/ca.pem")))
                try await http2.probe()
                let http1 = try LiveSuite(url: server.url(secure: true), trust: .caFile(Fixtures.path("tls/ca.pem")))
                return (await http2.run(cases, jobs: 4), await http1.run(Array(cases.prefix(3)), jobs: 1))
            }
            for result in overHTTP2 {
                #expect(result.passed, "\(result.summary)")
                #expect(result.handshake?.request.contains(":scheme: https") == true)
            }
            for result in overHTTP1 { #expect(result.handshake?.response?.hasPrefix("HTTP/1.1 101") == true) }
        }

        /// A route the server does not have is refused with its status in HEADERS, as over HTTP/1.1: the probe says
        /// the URL is no WebSocket endpoint.
        @Test func aRefusalArrivesAsAStatus() async throws {
            var router = WebSocketRouter()
            router.ws("/echo") { message, _ in message }
            let error = try await withServer({ try await SessionServer.start(router: router) }) { server in
                let suite = try LiveSuite(url: try WebSocketURL(parsing: "ws://127.0.0.1:\(server.port)/nowhere"), http2: true)
                return await #expect(throws: ConnectError.self) { try await suite.probe() }
            }
            #expect(error?.cause == .notWebSocket)
            #expect(error?.detail.contains("404") == true, "\(String(describing: error))")
        }

        /// A run over HTTP/2 and one over HTTP/1.1 against the same server merge into one report, a column each, and
        /// each case's page says which way its WebSocket was opened; the frames of its wire log are decoded as over TCP.
        @Test func runsOverBothTransportsMergeIntoTwoColumns() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let (h1, h2) = (directory.appendingPathComponent("h1").path, directory.appendingPathComponent("h2").path)
            let statuses = try await withServer({ try await SessionServer.referenceServer(Self.configuration) }) { server in
                let url = server.url().description
                return (
                    await CommandTests.run(["run", url, "--cases", "1.1.1,2.1", "--report-dir", h1]),
                    await CommandTests.run(["run", url, "--cases", "1.1.1,2.1", "--http2-prior-knowledge", "--report-dir", h2])
                )
            }
            #expect(statuses == (0, 0))
            let merged = directory.appendingPathComponent("merged").path
            #expect(await CommandTests.run(["report", h1, h2, "--report-dir", merged]) == 0)
            let index =
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: merged).appendingPathComponent("index.json")))
                as? [String: [String: [String: Any]]]
            #expect(index?.keys.sorted() == ["server", "server-h2"])
            #expect(index?["server-h2"]?["2.1"]?["behavior"] as? String == "OK")
            let page = try #require(
                FileManager.default.enumerator(atPath: h2)?.compactMap { $0 as? String }.first { $0.hasSuffix(".html") && $0.contains("2_1") })
            let html = try String(contentsOfFile: "\(h2)/\(page)", encoding: .utf8)
            #expect(html.contains("By extended CONNECT on an HTTP/2 stream (RFC 8441 §4)."))
            #expect(html.contains("ping FIN masked len=0"), "the wire log's frames are decoded")
        }

        // MARK: Failing closed

        /// A server that speaks HTTP/1.1 only is unreachable over HTTP/2, with the reason; the run never falls back.
        @Test func anHTTP1OnlyServerIsRefused() async throws {
            let error = try await withServer({ try await SessionServer.referenceServer(Self.configuration, http2: false) }) {
                server in
                await #expect(throws: ConnectError.self) { try await Self.suite(server).probe() }
            }
            #expect(error?.cause == .http2)
            #expect(error?.detail.contains("does not speak HTTP/2") == true, "\(String(describing: error))")
        }

        /// Over TLS, a server whose ALPN does not offer `h2` is refused before any request.
        @Test func aTLSServerWithoutH2InALPNIsRefused() async throws {
            let tls = try TLSSettings.serverContext(
                certificateChain: Fixtures.path("tls/server.pem"), privateKey: Fixtures.path("tls/server-key.pem"))
            let error = try await withServer({ try await SessionServer.referenceServer(Self.configuration, tls: tls) }) { server in
                await #expect(throws: ConnectError.self) {
                    try await Self.suite(server, secure: true, trust: .caFile(Fixtures.path("tls/ca.pem"))).probe()
                }
            }
            #expect(error?.cause == .http2)
            #expect(error?.detail.contains("ALPN") == true, "\(String(describing: error))")
        }

        /// An HTTP/2 server that does not enable extended CONNECT (RFC 8441 §3) is refused, its setting named.
        @Test func anHTTP2ServerWithoutExtendedConnectIsRefused() async throws {
            let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                            mode: .server, connectionConfiguration: .init(), streamConfiguration: .init()
                        ) { stream in stream.close() }
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            defer { listener.close(promise: nil) }
            let url = try WebSocketURL(parsing: "ws://127.0.0.1:\(listener.localAddress!.port!)/")
            let error = await #expect(throws: ConnectError.self) { try await LiveSuite(url: url, http2: true).probe() }
            #expect(error?.cause == .http2)
            #expect(error?.detail.contains("SETTINGS_ENABLE_CONNECT_PROTOCOL is absent") == true, "\(String(describing: error))")
        }

        /// The command line: an HTTP/1.1-only server makes `--http2-prior-knowledge` exit 2, and each option refuses the
        /// other scheme's URL.
        @Test func commandLineFailsClosed() async throws {
            let status = try await withServer({ try await SessionServer.referenceServer(Self.configuration, http2: false) }) { server in
                await CommandTests.run(["run", server.url().description, "--http2-prior-knowledge", "--cases", "1.1.1", "--format", ""])
            }
            #expect(status == 2)
            #expect(await CommandTests.run(["run", "wss://127.0.0.1:1/", "--http2-prior-knowledge", "--format", ""]) == 2)
            #expect(await CommandTests.run(["run", "ws://127.0.0.1:1/", "--http2", "--format", ""]) == 2)
            #expect(await CommandTests.run(["run", "--sim", "--http2", "--format", ""]) == 2)
        }
    }
}
