import Foundation
import NIOSSL
import ReferenceServer
import Testing
import WebSocketNIO

extension LiveTests {
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996): neither the harness nor `wsspec serve` speaks them.
    @Suite("TLS 1.2 at least, on both sides")
    struct TLSVersionTests {
        private static func context(_ configuration: TLSConfiguration) throws -> NIOSSLContext {
            try NIOSSLContext(configuration: configuration)
        }

        @Test func theHarnessRefusesAServerThatStopsAtTLS11() async throws {
            let chain = try NIOSSLCertificate.fromPEMFile(Fixtures.path("tls/server.pem"))
            let key = try NIOSSLPrivateKey(file: Fixtures.path("tls/server-key.pem"), format: .pem)
            var old = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
            old.minimumTLSVersion = .tlsv1
            old.maximumTLSVersion = .tlsv11
            let status = try await withServer({ try await SessionServer.referenceServer(EchoServerConfiguration(), tls: try Self.context(old)) }) { server in
                await CommandTests.run(["run", server.url(secure: true).description, "--cases", "1.1.1",
                                        "--ca-file", Fixtures.path("tls/ca.pem"), "--format", ""])
            }
            #expect(status == 2)  // Unreachable: the TLS handshake fails.
        }

        @Test func theServerRefusesAClientThatStopsAtTLS11() async throws {
            let tls = try TLSSettings.serverContext(certificateChain: Fixtures.path("tls/server.pem"),
                                                    privateKey: Fixtures.path("tls/server-key.pem"))
            var old = TLSConfiguration.makeClientConfiguration()
            old.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(Fixtures.path("tls/ca.pem")))
            old.minimumTLSVersion = .tlsv1
            old.maximumTLSVersion = .tlsv11
            let (refused, accepted) = try await withServer({ try await SessionServer.referenceServer(EchoServerConfiguration(), tls: tls) }) { server in
                let url = server.url(secure: true)
                let answer = await Self.firstRead(url, try Self.context(old))
                var current = TLSConfiguration.makeClientConfiguration()
                current.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(Fixtures.path("tls/ca.pem")))
                return (answer, await Self.firstRead(url, try Self.context(current)))
            }
            #expect(refused == nil)     // No HTTP answer over TLS 1.1...
            #expect(accepted?.hasPrefix("HTTP/1.1 101") == true)  // ...and the same request over TLS 1.2+ upgrades.
        }

        /// The answer's first bytes to an opening request, or nil when the connection fails first.
        private static func firstRead(_ url: WebSocketURL, _ tls: NIOSSLContext) async -> String? {
            guard let transport = try? await NIOTransport.connect(to: url, tls: tls, timeout: .seconds(5)) else { return nil }
            let request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            await transport.write(Array(request.utf8))
            let input = await transport.read(until: transport.elapsed + .seconds(5))
            await transport.abort()
            guard case .bytes(let bytes) = input else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}

extension LiveTests {
    @Suite("Durations from a file or the DSL never trap on their way to NIO")
    struct DurationArithmeticTests {
        @Test func anEnormousTimeoutSaturates() async throws {
            let connected = try await withServer({ try await SessionServer.referenceServer(EchoServerConfiguration()) }) { server in
                let transport = try await NIOTransport.connect(to: server.url(), tls: nil, timeout: .seconds(Int64.max))
                await transport.write(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
                let input = await transport.read(until: .seconds(Int64.max / 2))  // Far beyond any clock; the answer comes first.
                await transport.abort()
                if case .bytes = input { return true }
                return false
            }
            #expect(connected)
        }
    }
}

extension LiveTests {
    @Suite("A connection cap: idle clients cannot take the server")
    struct ConnectionCapTests {
        private static let upgrade = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"

        /// The first answer to an opening request on a new connection, or nil when none comes.
        private static func answer(_ transport: NIOTransport) async -> String? {
            await transport.write(Array(upgrade.utf8))
            guard case .bytes(let bytes) = await transport.read(until: transport.elapsed + .seconds(5)) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }

        @Test func pastTheCapANewConnectionGets503AndTheOthersAreStillServed() async throws {
            let outcome = try await withServer({ try await SessionServer.referenceServer(EchoServerConfiguration(), maxConnections: 2) }) { server in
                // Two idle connections fill the server.
                let first = try await NIOTransport.connect(to: server.url(), tls: nil, timeout: .seconds(5))
                let second = try await NIOTransport.connect(to: server.url(), tls: nil, timeout: .seconds(5))
                let third = try await NIOTransport.connect(to: server.url(), tls: nil, timeout: .seconds(5))
                let refused = await Self.answer(third)
                // The connections it holds are still served...
                let served = await Self.answer(first)
                // ...and once one goes, a new one is taken again.
                await second.abort()
                await first.abort()
                await third.abort()
                var readmitted: String?
                for _ in 0..<50 where readmitted?.hasPrefix("HTTP/1.1 101") != true {
                    let next = try await NIOTransport.connect(to: server.url(), tls: nil, timeout: .seconds(5))
                    readmitted = await Self.answer(next)
                    await next.abort()
                    if readmitted?.hasPrefix("HTTP/1.1 101") != true { try await Task.sleep(for: .milliseconds(20)) }
                }
                return (refused, served, readmitted)
            }
            #expect(outcome.0?.hasPrefix("HTTP/1.1 503") == true, "\(outcome.0 ?? "nothing")")
            #expect(outcome.1?.hasPrefix("HTTP/1.1 101") == true)
            #expect(outcome.2?.hasPrefix("HTTP/1.1 101") == true)
        }
    }
}
