import Foundation
import NIOSSL
import ReferenceServer
import Testing
import WebSocketNIO
import WebSocketServer

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
            let status = try await withServer({ try await SessionServer.referenceServer(EchoServerConfiguration(), tls: try Self.context(old)) }) {
                server in
                await CommandTests.run([
                    "run", server.url(secure: true).description, "--cases", "1.1.1",
                    "--ca-file", Fixtures.path("tls/ca.pem"), "--format", ""
                ])
            }
            #expect(status == 2) // Unreachable: the TLS handshake fails.
        }

        @Test func theServerRefusesAClientThatStopsAtTLS11() async throws {
            let tls = try TLSSettings.serverContext(
                certificateChain: Fixtures.path("tls/server.pem"),
                privateKey: Fixtures.path("tls/server-key.pem"))
            var old = TLSConfiguration.makeClientConfiguration()
            old.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(Fixtures.path("tls/ca.pem")))
            old.minimumTLSVersion = .tlsv1
            old.maximumTLSVersion = .tlsv11
            let (refused, accepted) = try await withServer({ try await SessionServer.referenceServer(EchoServerConfiguration(), tls: tls) }) {
                server in
                let url = server.url(secure: true)
                let answer = await Self.firstRead(url, try Self.context(old))
                var current = TLSConfiguration.makeClientConfiguration()
                current.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(Fixtures.path("tls/ca.pem")))
                return (answer, await Self.firstRead(url, try Self.context(current)))
            }
            #expect(refused == nil) // No HTTP answer over TLS 1.1...
            #expect(accepted?.hasPrefix("HTTP/1.1 101") == true) // ...and the same request over TLS 1.2+ upgrades.
        }

        /// The answer's first bytes to an opening request, or nil when the connection fails first.
        private static func firstRead(_ url: WebSocketURL, _ tls: NIOSSLContext) async -> String? {
            guard let transport = try? await NIOTransport.connect(to: url, tls: tls, timeout: .seconds(5)) else { return nil }
            let request =
                "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            await transport.write(Array(request.utf8))
            let input = await transport.read(until: transport.elapsed + .seconds(5))
            await transport.abort()
            guard case .bytes(let bytes) = input else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
