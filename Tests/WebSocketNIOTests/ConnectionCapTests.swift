import ReferenceServer
import Testing
import WebSocketNIO
import WebSocketServer

extension LiveTests {
    @Suite("A connection cap: idle clients cannot take the server")
    struct ConnectionCapTests {
        private static let upgrade =
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"

        /// The first answer to an opening request on a new connection, or nil when none comes.
        private static func answer(_ transport: NIOTransport) async -> String? {
            await transport.write(Array(upgrade.utf8))
            guard case .bytes(let bytes) = await transport.read(until: transport.elapsed + .seconds(5)) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }

        @Test func pastTheCapANewConnectionGets503AndTheOthersAreStillServed() async throws {
            var limits = ConnectionLimits()
            limits.maxConnections = 2
            let outcome = try await withServer({ try await SessionServer.referenceServer(EchoServerConfiguration(), limits: limits) }) { server in
                // Two connections fill the server. Each is upgraded first: a connect returns once the kernel has
                // accepted, before the server has taken the connection in, and the order would otherwise race.
                let first = try await NIOTransport.connect(to: server.url(), tls: nil, timeout: .seconds(5))
                let served = await Self.answer(first)
                let second = try await NIOTransport.connect(to: server.url(), tls: nil, timeout: .seconds(5))
                let alsoServed = await Self.answer(second)
                let third = try await NIOTransport.connect(to: server.url(), tls: nil, timeout: .seconds(5))
                let refused = await Self.answer(third)
                // Once one goes, a new one is taken again.
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
                return (refused, served, readmitted, alsoServed)
            }
            #expect(outcome.0?.hasPrefix("HTTP/1.1 503") == true, "\(outcome.0 ?? "nothing")")
            #expect(outcome.1?.hasPrefix("HTTP/1.1 101") == true && outcome.3?.hasPrefix("HTTP/1.1 101") == true)
            #expect(outcome.2?.hasPrefix("HTTP/1.1 101") == true)
        }
    }
}
