// The README's example, word for word (scripts/test.sh checks that the two agree).
import Testing
import WebSocketTesting   // brings WebSocketRoutes and the core's types (CloseCode, ClosePayload...) along

@Test func echoesAndDropsSilentClients() async throws {
    let server = TestServer { router in
        router.ws("/echo", ping: .every(.seconds(30), timeout: .seconds(10))) { message, _ in message }
    }
    let client = try await server.connect("/echo", respondsToPings: false)
    try await client.send(text: "hi")
    #expect(try await client.receiveText() == "hi")
    await client.expectNothing(for: .seconds(39))                   // 39 virtual seconds, no real wait
    #expect(try await client.closeFrame()?.code == .goingAway)      // 1001: no pong within 10 s of the ping at 30 s
    #expect(server.now == .seconds(40))                             // the close came at 40 s exactly
}
