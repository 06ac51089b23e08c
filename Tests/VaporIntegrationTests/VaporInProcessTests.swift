#if Vapor
    import Testing
    import Vapor
    import WebSocketCore
    import WebSocketTesting
    import WebSocketTestingVapor

    /// An application as its authors write it: an HTTP route beside WebSocket routes, on a testing `Application`.
    enum VaporEchoApp {
        static func withServer(seed: UInt64 = 0, _ body: (TestServer) async throws -> Void) async throws {
            let app = try await Application.make(.testing)
            app.logger.logLevel = .error
            app.get("health") { _ in "ok" }
            app.webSocket("echo") { _, ws in
                ws.onText { ws, text in ws.send(text) }
                ws.onBinary { ws, buffer in ws.send(buffer) }
            }
            app.webSocket("bye") { _, ws in _ = ws.close(code: .goingAway) }
            app.webSocket("pinging") { _, ws in ws.pingInterval = .seconds(10) }
            do {
                try await body(TestServer(seed: seed, vapor: app))
            } catch {
                try await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        }
    }

    @Suite("Vapor: an application's routes in-process")
    struct VaporInProcessTests {
        @Test func echoesTextAndBinary() async throws {
            try await VaporEchoApp.withServer { server in
                let client = try await server.connect("/echo")
                try await client.send(text: "hello")
                #expect(try await client.receiveText() == "hello")
                try await client.send(binary: [1, 2, 3])
                #expect(try await client.receiveBinary() == [1, 2, 3])
                let closure = try await client.close()
                #expect(client.receivedCloseFrame?.code == .normalClosure, "\(closure)")
            }
        }

        @Test func aPingTooLongForAControlFrameIsAProtocolError() async throws {
            try await VaporEchoApp.withServer { server in
                let client = try await server.connect("/echo")
                // 126 bytes: a control frame may carry 125 at most (RFC 6455 §5.5). NIO's decoder, under websocket-kit.
                try await client.send(frame: Frame(opcode: .ping, payload: Array(repeating: 0x61, count: 126)))
                let close = try await client.closeFrame()
                #expect(close?.code == .protocolError)
            }
        }

        @Test func aReservedOpcodeIsIgnored() async throws {
            // What the peer matrix records of Vapor (case 4.1.1, docs/swift-frameworks.md): websocket-kit does not
            // fail the connection on a reserved opcode, and the echo goes on.
            try await VaporEchoApp.withServer { server in
                let client = try await server.connect("/echo")
                try await client.send(frame: Frame(opcode: Opcode(rawValue: 0x3), payload: [1]))
                try await client.send(text: "still here")
                #expect(try await client.receiveText() == "still here")
            }
        }

        @Test func theRoutesOwnCloseCodeArrives() async throws {
            try await VaporEchoApp.withServer { server in
                let client = try await server.connect("/bye")
                let close = try await client.closeFrame()
                #expect(close?.code == .goingAway)
            }
        }

        @Test func anHTTPRouteAnswersBesideTheWebSocketRoutes() async throws {
            try await VaporEchoApp.withServer { server in
                let response = try await server.request("/health")
                #expect(response.status == 200)
                #expect(response.bodyText == "ok")
                let missing = try await server.request("/nowhere")
                #expect(missing.status == 404)
            }
        }

        @Test func anUnknownWebSocketPathIsRefusedWithVaporsNotFound() async throws {
            try await VaporEchoApp.withServer { server in
                let refusal = await #expect(throws: ClientSessionError.self) { _ = try await server.connect("/nowhere") }
                #expect(refusal?.status == 404)
            }
        }

        @Test func websocketKitsPingsFollowVirtualTime() async throws {
            try await VaporEchoApp.withServer { server in
                let client = try await server.connect("/pinging")
                let began = ContinuousClock.now
                await client.expectNothing(for: .seconds(25))
                // websocket-kit pings at once, then every 10 s on the channel's event loop: three in 25 virtual seconds.
                #expect(client.pingsReceived.count == 3)
                #expect(server.now >= .seconds(25))
                #expect(ContinuousClock.now - began < .seconds(10))
                try await client.close()
            }
        }
    }
#endif
