#if Hummingbird
    import ConformanceTesting
    import Hummingbird
    import HummingbirdWebSocket
    import Testing
    import WebSocketCore
    import WebSocketTesting
    import WebSocketTestingHummingbird

    /// An application as its authors write it: an HTTP route beside a WebSocket echo route.
    enum EchoApp {
        static func server(seed: UInt64 = 0) -> TestServer {
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
            webSocketRouter.ws("/bye") { _, outbound, _ in
                try await outbound.close(.goingAway, reason: "bye")
            }
            return TestServer(seed: seed, hummingbird: router, webSocketRouter: webSocketRouter)
        }
    }

    @Suite("Hummingbird: an application's routes in-process")
    struct HummingbirdInProcessTests {
        @Test func echoesTextAndBinary() async throws {
            let server = EchoApp.server()
            let client = try await server.connect("/echo")
            try await client.send(text: "hello")
            #expect(try await client.receiveText() == "hello")
            try await client.send(binary: [1, 2, 3])
            #expect(try await client.receiveBinary() == [1, 2, 3])
            let closure = try await client.close()
            #expect(client.receivedCloseFrame?.code == .normalClosure, "\(closure)")
        }

        @Test func aBrokenFrameIsAProtocolError() async throws {
            let server = EchoApp.server()
            let client = try await server.connect("/echo")
            // A reserved opcode (0x3): Hummingbird must fail the connection with 1002.
            try await client.send(frame: Frame(opcode: Opcode(rawValue: 0x3), payload: [1]))
            let close = try await client.closeFrame()
            #expect(close?.code == .protocolError)
        }

        @Test func theRoutesOwnCloseCodeArrives() async throws {
            let server = EchoApp.server()
            let client = try await server.connect("/bye")
            let close = try await client.closeFrame()
            #expect(close?.code == .goingAway)
            #expect(close?.reason == "bye")
        }

        @Test func anHTTPRouteAnswersBesideTheWebSocketRoutes() async throws {
            let server = EchoApp.server()
            let response = try await server.request("/health")
            #expect(response.status == 200)
            #expect(response.bodyText == "ok")
            let missing = try await server.request("/nowhere")
            #expect(missing.status == 404)
        }

        @Test func anUnknownWebSocketPathIsRefused() async throws {
            let server = EchoApp.server()
            let refusal = await #expect(throws: ClientSessionError.self) { _ = try await server.connect("/nowhere") }
            #expect(refusal?.status == 400)
        }
    }
#endif
