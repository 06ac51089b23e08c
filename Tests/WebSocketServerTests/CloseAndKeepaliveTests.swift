import Synchronization
import Testing
import WebSocketRoutes
import WebSocketTesting

@Suite("Close codes and reasons, keepalive, virtual time")
struct CloseAndKeepaliveTests {
    @Test(arguments: [CloseCode(999), .noStatusReceived, .abnormalClosure, .tlsHandshake, .reserved, CloseCode(2999), CloseCode(5000)])
    func unsendableCodesAreRefused(code: CloseCode) async throws {
        let refused = Mutex<WebSocketServerError?>(nil)
        let server = TestServer { router in
            router.ws("/ws") { _, connection in
                do { try connection.close(code: code) } catch let error as WebSocketServerError { refused.withLock { $0 = error } }
                return .text("still open")
            }
        }
        let client = try await server.connect("/ws")
        try await client.send(text: "close please")
        #expect(try await client.receive() == .text("still open"))
        #expect(refused.withLock { $0 } == .invalidCloseCode(code))
    }

    @Test func aLongReasonIsCutToFitTheCloseFrameOnACharacterBoundary() async throws {
        let reason = String(repeating: "é", count: 100) // 200 bytes of two-byte characters.
        let server = TestServer {
            $0.ws("/ws") { _, connection in
                try connection.close(code: .policyViolation, reason: reason)
                return nil
            }
        }
        let client = try await server.connect("/ws")
        try await client.send(text: "x")
        let frame = try #require(try await client.closeFrame())
        #expect(frame.code == .policyViolation)
        #expect(frame.reason == String(repeating: "é", count: 61)) // 122 bytes: the 123rd would split a character.
    }

    @Test func anUnansweredPingClosesWithGoingAwayAfterTheTimeout() async throws {
        let server = TestServer { $0.ws("/ws", ping: .every(.seconds(30), timeout: .seconds(10))) { message, _ in message } }
        let client = try await server.connect("/ws", respondsToPings: false)
        await client.expectNothing(for: .seconds(39))
        #expect(client.pingsReceived.count == 1)
        await client.advanceTime(by: .seconds(2))
        let frame = try await client.closeFrame()
        #expect(frame?.code == .goingAway)
        #expect(frame?.reason == "no pong within 10.0 seconds")
        #expect(server.now < .seconds(45))
    }

    @Test func answeredPingsKeepTheConnectionOpen() async throws {
        let server = TestServer { $0.ws("/ws", ping: .every(.seconds(30), timeout: .seconds(10))) { message, _ in message } }
        let client = try await server.connect("/ws")
        await client.expectNothing(for: .seconds(610))
        #expect(client.pingsReceived.count == 20)
        try await client.send(text: "alive")
        #expect(try await client.receive() == .text("alive"))
    }

    @Test func aHandlerSleepingOnTheServerClockWakesWithVirtualTime() async throws {
        let server = TestServer {
            $0.ws("/later") { message, connection in
                try await connection.sleep(for: .seconds(3600))
                return message
            }
        }
        let client = try await server.connect("/later")
        try await client.send(text: "in an hour")
        await client.expectNothing(for: .seconds(3599))
        #expect(try await client.receive(timeout: .seconds(2)) == .text("in an hour"))
        #expect(server.now >= .seconds(3600) && server.now < .seconds(3602))
    }

    @Test func advanceTimeWakesASleepingHandler() async throws {
        let server = TestServer {
            $0.ws("/later") { message, connection in
                try await connection.sleep(for: .seconds(60))
                return message
            }
        }
        let client = try await server.connect("/later")
        try await client.send(text: "in a minute")
        await server.advanceTime(by: .seconds(60))
        #expect(server.now == .seconds(60))
        #expect(try await client.receive(timeout: .zero) == .text("in a minute"))
    }

    /// The example in the README, word for word.
    @Test func echoesAndDropsSilentClients() async throws {
        let server = TestServer { router in
            router.ws("/echo", ping: .every(.seconds(30), timeout: .seconds(10))) { message, _ in message }
        }
        let client = try await server.connect("/echo", respondsToPings: false)
        try await client.send(text: "hi")
        #expect(try await client.receive() == .text("hi"))
        await client.advanceTime(by: .seconds(41)) // 41 virtual seconds, no real wait
        #expect(try await client.closeFrame()?.code == .goingAway) // 1001: no pong within 10 s
    }
}
