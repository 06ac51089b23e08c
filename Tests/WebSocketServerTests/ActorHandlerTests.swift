import Testing
import WebSocketRoutes
import WebSocketTesting

/// A counter as an actor, the way applications often keep shared state.
actor Counter {
    private var value = 0
    func next() -> Int {
        value += 1
        return value
    }
}

@Suite("Handlers that use actors")
struct ActorHandlerTests {
    static func run(seed: UInt64) async throws -> String {
        let counter = Counter()
        let server = TestServer(seed: seed, link: .choppy) { router in
            router.ws("/count") { _, _ in .text("\(await counter.next())") }
        }
        let first = try await server.connect("/count")
        let second = try await server.connect("/count")
        for _ in 0..<50 {
            try await first.send(text: "a")
            try await second.send(text: "b")
        }
        var replies: [WebSocketMessage] = []
        for _ in 0..<50 {
            replies.append(try await first.receive())
            replies.append(try await second.receive())
        }
        #expect(Set(replies).count == 100)
        return server.trace
    }

    @Test func anActorCalledFromHandlersKeepsTheRunDeterministic() async throws {
        let traces = try await [Self.run(seed: 3), Self.run(seed: 3), Self.run(seed: 3)]
        #expect(traces[0] == traces[1] && traces[1] == traces[2])
    }
}
