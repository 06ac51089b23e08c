// The README's Vapor example, word for word (scripts/test.sh checks that the two agree).
import ConformanceTesting
import Testing
import Vapor
import WebSocketTesting
import WebSocketTestingVapor

/// The application's routes, registered as the app's `configure(_:)` registers them.
func routes(_ app: Application) {
    app.get("health") { _ in "ok" }
    app.webSocket("echo") { _, ws in
        ws.onText { ws, text in ws.send(text) }
        ws.onBinary { ws, bytes in ws.send(bytes) }
    }
}

@Test func vaporRoutesInProcess() async throws {
    let app = try await Application.make(.testing)
    routes(app)
    let server = TestServer(vapor: app)
    #expect(try await server.request("/health").bodyText == "ok")            // the HTTP route beside it
    let client = try await server.connect("/echo")
    try await client.send(text: "hi")
    #expect(try await client.receiveText() == "hi")
    try await client.send(frame: Frame(opcode: .ping, payload: Array(repeating: 0, count: 126)))
    #expect(try await client.closeFrame()?.code == .protocolError)           // a control frame holds 125 at most

    // Sections 1-7 and 10 of the catalog against the same route, as `wsspec run` would judge them.
    let results = try await ConformanceCheck.run(
        against: server.application, path: "/echo", cases: "1.*,2.*,3.*,4.*,5.*,6.*,7.*,10.*")
    #expect(results.run.results.count == 251)
    #expect(results.failures.count == 124, "\(results.summary)")  // websocket-kit checks no UTF-8, RSV bits or opcodes
    try await app.asyncShutdown()
}
