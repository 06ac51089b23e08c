import ChatExample
import Testing
import WebSocketRoutes
import WebSocketTesting

@Suite("The example chat application, tested in-process")
struct ChatAppTests {
    let server = TestServer { router in router = ChatApp.router(motd: "hello, tester") }

    func join(_ room: String, as user: String) async throws -> TestConnection {
        try await server.connect("/chat/\(room)", headers: ["X-User": user], subprotocols: ["chat.v1"])
    }

    @Test func membersHearEachOther() async throws {
        let ann = try await join("lobby", as: "ann")
        #expect(try await ann.receive() == .text("welcome to lobby"))
        let bob = try await join("lobby", as: "bob")
        #expect(try await bob.receive() == .text("welcome to lobby, with ann"))
        #expect(try await ann.receive() == .text("bob joined"))

        try await bob.send(text: "hi ann")
        #expect(try await ann.receive() == .text("bob: hi ann"))
        await bob.expectNothing(for: .seconds(1)) // No echo to the sender.

        try await bob.close()
        #expect(try await ann.receive() == .text("bob left"))
    }

    @Test func roomsAreSeparate() async throws {
        let ann = try await join("lobby", as: "ann")
        let cat = try await join("kitchen", as: "cat")
        _ = try await ann.receive()
        _ = try await cat.receive()
        try await cat.send(text: "anyone?")
        await ann.expectNothing(for: .seconds(5))
        try await ann.send(text: "/who")
        #expect(try await ann.receive() == .text("ann"))
    }

    @Test func theGuardWantsAUser() async throws {
        await #expect { try await server.connect("/chat/lobby") } throws: { ($0 as? ClientSessionError)?.status == 401 }
        await #expect { try await join("lobby", as: "root") } throws: { ($0 as? ClientSessionError)?.status == 403 }
    }

    @Test func binaryIsUnsupportedData() async throws {
        let ann = try await join("lobby", as: "ann")
        _ = try await ann.receive()
        try await ann.send(binary: [0xFF])
        let frame = try await ann.closeFrame()
        #expect(frame?.code == .unsupportedData)
        #expect(frame?.reason == "text messages only")
    }

    @Test func aSilentClientIsDroppedAfterThePingTimeout() async throws {
        let ann = try await server.connect("/chat/lobby", headers: ["X-User": "ann"], respondsToPings: false)
        _ = try await ann.receive()
        await ann.expectNothing(for: .seconds(39)) // Pinged at 30 s; 10 s to answer.
        await ann.advanceTime(by: .seconds(2))
        #expect(try await ann.closeFrame()?.code == .goingAway)
    }

    @Test func theMessageOfTheDayIsSentThenTheConnectionCloses() async throws {
        let client = try await server.connect("/motd")
        #expect(try await client.receive() == .text("hello, tester"))
        #expect(try await client.closeFrame()?.code == .normalClosure)
    }

    @Test func theLogListensAndNeverAnswers() async throws {
        let log = MessageLog()
        let server = TestServer { router in router = ChatApp.router(log: log) }
        let client = try await server.connect("/log")
        try await client.send(text: "line 1")
        try await client.send(text: "line 2")
        await client.expectNothing(for: .seconds(10))
        #expect(log.all == ["line 1", "line 2"])
    }

    @Test func echoEndsWhenTheClientSaysBye() async throws {
        let client = try await server.connect("/echo")
        try await client.send(text: "ping")
        #expect(try await client.receive() == .text("ping"))
        try await client.send(text: "bye")
        #expect(try await client.closeFrame()?.code == .normalClosure)
    }
}
