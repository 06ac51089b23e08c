import Synchronization
import Testing
import WebSocketRoutes
import WebSocketTesting

@Suite("Modes: two-way, receive-only, send-only")
struct ModeTests {
    @Test func sendOnlySendsTheResultThenClosesNormally() async throws {
        let server = TestServer { $0.ws("/time", mode: .sendOnly) { message, _ in .text("called with \(message == nil ? "nothing" : "a message")") } }
        let client = try await server.connect("/time")
        #expect(try await client.receive() == .text("called with nothing"))
        let frame = try await client.closeFrame()
        #expect(frame?.code == .normalClosure)
        #expect(client.closure?.wasClean == true)
    }

    @Test func sendOnlyDropsWhatTheClientSends() async throws {
        let calls = Mutex(0)
        let server = TestServer { router in
            router.ws("/slow", mode: .sendOnly) { _, connection in
                calls.withLock { $0 += 1 }
                try await connection.sleep(for: .seconds(5))
                return .text("done")
            }
        }
        let client = try await server.connect("/slow")
        try await client.send(text: "ignored")
        #expect(try await client.receive() == .text("done"))
        #expect(calls.withLock { $0 } == 1)
    }

    @Test func receiveOnlyDeliversButNeverSends() async throws {
        let received = Mutex<[String]>([])
        let sendError = Mutex<WebSocketServerError?>(nil)
        let server = TestServer { router in
            router.ws("/log", mode: .receiveOnly) { message, connection in
                if case .text(let text) = message { received.withLock { $0.append(text) } }
                do { try await connection.send(text: "not allowed") } catch let error as WebSocketServerError { sendError.withLock { $0 = error } }
                return nil
            }
        }
        let client = try await server.connect("/log")
        try await client.send(text: "a")
        try await client.send(text: "b")
        await client.expectNothing(for: .seconds(5))
        #expect(received.withLock { $0 } == ["a", "b"])
        #expect(sendError.withLock { $0 } == .sendingNotAllowed(path: "/log"))
    }

    @Test func aReplyOnAReceiveOnlyRouteIsAHandlerError() async throws {
        let server = TestServer { $0.ws("/log", mode: .receiveOnly) { message, _ in message } }
        let client = try await server.connect("/log")
        try await client.send(text: "echo?")
        #expect(try await client.closeFrame()?.code == .internalServerError)
    }

    @Test func aStreamHandlerOwnsTheConnectionAndClosesWhenItReturns() async throws {
        let server = TestServer { router in
            router.ws("/count") { connection in
                var count = 0
                for try await _ in connection.messages {
                    count += 1
                    if count == 3 { break }
                }
                try await connection.send(text: "got \(count)")
            }
        }
        let client = try await server.connect("/count")
        for text in ["a", "b", "c"] { try await client.send(text: text) }
        #expect(try await client.receive() == .text("got 3"))
        #expect(try await client.closeFrame()?.code == .normalClosure)
    }
}
