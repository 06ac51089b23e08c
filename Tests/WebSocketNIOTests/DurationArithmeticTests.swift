import ReferenceServer
import Testing
import WebSocketNIO
import WebSocketServer

extension LiveTests {
    @Suite("Durations from a file or the DSL never trap on their way to NIO")
    struct DurationArithmeticTests {
        @Test func anEnormousTimeoutSaturates() async throws {
            let connected = try await withServer({ try await SessionServer.referenceServer(EchoServerConfiguration()) }) { server in
                let transport = try await NIOTransport.connect(to: server.url(), tls: nil, timeout: .seconds(Int64.max))
                await transport.write(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
                let input = await transport.read(until: .seconds(Int64.max / 2)) // Far beyond any clock; the answer comes first.
                await transport.abort()
                if case .bytes = input { return true }
                return false
            }
            #expect(connected)
        }
    }
}
