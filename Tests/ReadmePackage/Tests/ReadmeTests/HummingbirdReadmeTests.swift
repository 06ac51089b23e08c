// The README's Hummingbird example, word for word (scripts/test.sh checks that the two agree).
import ConformanceTesting
import Hummingbird
import HummingbirdWebSocket
import Testing
import WebSocketTesting
import WebSocketTestingHummingbird

/// The application's routes, built as the app builds them for `Application(router:server:)`.
func buildRouters() -> (Router<BasicRequestContext>, Router<BasicWebSocketRequestContext>) {
    let router = Router()
    router.get("/health") { _, _ in "ok" }
    let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
    webSocketRouter.ws("/echo") { inbound, outbound, _ in
        for try await message in inbound.messages(maxSize: 1 << 20) {
            switch message {
            case .text(let text): try await outbound.write(.text(text))
            case .binary(let bytes): try await outbound.write(.binary(bytes))
            }
        }
    }
    return (router, webSocketRouter)
}

@Test func hummingbirdRoutesInProcess() async throws {
    let (router, webSocketRouter) = buildRouters()
    let server = TestServer(
        hummingbird: router, webSocketRouter: webSocketRouter,
        configuration: .init(ws: .init(maxFrameSize: 1 << 20, validateUTF8: true)))
    #expect(try await server.request("/health").bodyText == "ok")            // the HTTP route beside it
    let client = try await server.connect("/echo")
    try await client.send(text: "hi")
    #expect(try await client.receiveText() == "hi")
    try await client.send(frame: Frame(opcode: Opcode(rawValue: 0x3)))       // a reserved opcode
    #expect(try await client.closeFrame()?.code == .protocolError)           // 1002

    // Sections 1-7 and 10 of the catalog against the same route, as `wsspec run` would judge them.
    let results = try await ConformanceCheck.run(
        against: server.application, path: "/echo", cases: "1.*,2.*,3.*,4.*,5.*,6.*,7.*,10.*")
    #expect(results.run.results.count == 251)
    #expect(results.failures.map(\.id.rawValue) == ["3.6"], "\(results.summary)")  // it answers a ping with RSV bits set
}
