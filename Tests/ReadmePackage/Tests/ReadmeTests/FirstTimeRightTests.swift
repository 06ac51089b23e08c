// What a new user writes from the README alone, without workarounds: one import, plain closures, one
// header's value, text without pattern matching, and a server whose close is settled when the client sees it.
import Synchronization
import Testing
import WebSocketTesting

/// What the server's `onClose` saw.
final class Closures: Sendable {
    let seen = Mutex<[ConnectionClosure]>([])
}

struct Greeter: WebSocketHandler {
    let closures: Closures

    func onMessage(_ message: WebSocketMessage?, _ connection: WebSocketConnection) async throws -> WebSocketMessage? {
        guard let text = message?.text else { return nil }
        if text == "bye" {
            try connection.close(code: 4000, reason: "see you")
            return nil
        }
        return .text("hello, \(connection.request.attributes["user"] ?? "?"): \(text)")
    }

    func onClose(_ closure: ConnectionClosure, _ connection: WebSocketConnection) async {
        closures.seen.withLock { $0.append(closure) }
    }
}

@Suite struct FirstTimeRightTests {
    let closures = Closures()

    func makeServer() -> TestServer {
        let closures = closures
        return TestServer { router in
            router.group("/chat", middleware: [UpgradeGuard { request in
                guard let user = request.header("X-User") else { throw UpgradeRefusal.unauthorized }
                request.attributes["user"] = user
            }]) { chat in
                chat.ws("/room", handler: Greeter(closures: closures))
            }
        }
    }

    @Test func aGuardedRouteGreetsByHeader() async throws {
        let server = makeServer()
        let client = try await server.connect("/chat/room", headers: ["X-User": "ann"])
        try await client.send(text: "hi")
        #expect(try await client.receiveText() == "hello, ann: hi")
        try await client.send(text: "again")
        #expect(try await client.receive().text == "hello, ann: again")
    }

    @Test func aMissingHeaderIsRefused() async throws {
        let server = makeServer()
        await #expect(throws: ClientSessionError.self) { try await server.connect("/chat/room") }
    }

    @Test func theServersCloseIsSettledAndItsOwnReasonKept() async throws {
        let server = makeServer()
        let client = try await server.connect("/chat/room", headers: ["X-User": "bob"])
        try await client.send(text: "bye")
        let frame: ClosePayload? = try await client.closeFrame()
        #expect(frame == ClosePayload(code: CloseCode(rawValue: 4000), reason: "see you"))
        #expect(server.now == .zero)  // No virtual time passed: the close is immediate.
        // The server's onClose has run by the time closeFrame() returns, and sees the reason it sent.
        let seen = closures.seen.withLock { $0 }
        #expect(seen.count == 1)
        #expect(seen.first?.sent?.reason == "see you")
        #expect(seen.first?.initiatedBy == .server)
        #expect(client.closure?.wasClean == true)
    }
}
