import Synchronization
import Testing
import WebSocketRoutes
import WebSocketTesting

@Suite("Back-pressure: a handler that does not read stops the server reading")
struct BackPressureTests {
    @Test func unreadMessagesStayNearTheLimitAndReadingResumes() async throws {
        var configuration = ServerConfiguration()
        configuration.maxQueuedBytes = 4 << 20
        let unreadAfterAMinute = Mutex(0)
        let server = TestServer(configuration: configuration) { router in
            router.ws("/slow") { connection in
                try await connection.sleep(for: .seconds(60))
                unreadAfterAMinute.withLock { $0 = connection.unreadBytes }
                var count = 0
                for try await _ in connection.messages {
                    count += 1
                    if count == 40 { break }
                }
                try await connection.send(text: "read \(count)")
            }
        }
        let client = try await server.connect("/slow")
        let megabyte = [UInt8](repeating: 0x5A, count: 1 << 20)
        for _ in 0..<40 { try await client.send(binary: megabyte) }
        #expect(try await client.receive(timeout: .seconds(120)) == .text("read 40"))
        let unread = unreadAfterAMinute.withLock { $0 }
        // Reading stopped once more than 4 MiB waited: one message past the limit at most, not all 40.
        #expect(unread > 4 << 20 && unread <= 5 << 20)
    }
}
