import ChatExample
import NIOConcurrencyHelpers
import Testing
import WebSocketCore
import WebSocketNIO
import WebSocketServer
import WebSocketTesting

extension LiveTests {
    /// The example application's handlers, unchanged, on the SwiftNIO server over loopback TCP and real time.
    @Suite("Handlers over TCP")
    struct HandlersOverTCPTests {
        static func connect(
            _ server: SessionServer, _ path: String, headers: HTTPHeaders = HTTPHeaders(),
            respondsToPings: Bool = true
        ) async throws -> (ClientSession, NIOTransport) {
            let transport = try await NIOTransport.connect(to: server.url(), tls: nil, timeout: .seconds(5))
            let request = ClientHandshakeRequest(
                target: path, host: "127.0.0.1:\(server.port)",
                nonce: Array(0..<16), subprotocols: ["chat.v1"], extraHeaders: headers)
            do {
                let session = try await ClientSession.connect(
                    over: transport, request: request, maskKeys: SeededMaskKeySource(seed: 1),
                    respondsToPings: respondsToPings, timeout: .seconds(5))
                return (session, transport)
            } catch {
                await transport.finish()
                throw error
            }
        }

        @Test func theChatRoomWorksOverTCP() async throws {
            try await withServer({ try await SessionServer.start(router: ChatApp.router()) }) { server in
                let (ann, annTransport) = try await Self.connect(server, "/chat/lobby", headers: ["X-User": "ann"])
                #expect(ann.negotiated.subprotocol == "chat.v1")
                #expect(try await ann.receive(timeout: .seconds(5)) == .text("welcome to lobby"))
                let (bob, bobTransport) = try await Self.connect(server, "/chat/lobby", headers: ["X-User": "bob"])
                #expect(try await bob.receive(timeout: .seconds(5)) == .text("welcome to lobby, with ann"))
                #expect(try await ann.receive(timeout: .seconds(5)) == .text("bob joined"))
                try await bob.send(text: "hi ann")
                #expect(try await ann.receive(timeout: .seconds(5)) == .text("bob: hi ann"))
                try await bob.close()
                let closure = await bob.receiveClosure(timeout: .seconds(5))
                #expect(closure?.wasClean == true && closure?.code == .normalClosure)
                #expect(try await ann.receive(timeout: .seconds(5)) == .text("bob left"))
                await annTransport.finish()
                await bobTransport.finish()
            }
        }

        @Test func guardsAndSendOnlyRoutesBehaveAsInProcess() async throws {
            try await withServer({ try await SessionServer.start(router: ChatApp.router(motd: "over tcp")) }) { server in
                await #expect { try await Self.connect(server, "/chat/lobby") } throws: { ($0 as? ClientSessionError)?.status == 401 }
                await #expect { try await Self.connect(server, "/nowhere") } throws: { ($0 as? ClientSessionError)?.status == 404 }
                let (motd, transport) = try await Self.connect(server, "/motd")
                #expect(try await motd.receive(timeout: .seconds(5)) == .text("over tcp"))
                #expect(await motd.receiveClosure(timeout: .seconds(5))?.code == .normalClosure)
                await transport.finish()
            }
        }

        @Test func thePingTimeoutRunsOnRealTime() async throws {
            var router = WebSocketRouter()
            router.ws("/ws", ping: .every(.milliseconds(100), timeout: .milliseconds(100))) { message, _ in message }
            try await withServer({ try await SessionServer.start(router: router) }) { server in
                let (silent, transport) = try await Self.connect(server, "/ws", respondsToPings: false)
                #expect(await silent.receiveClosure(timeout: .seconds(10)) != nil)
                #expect(silent.closeFrame?.code == .goingAway)
                #expect(!silent.pingsReceived.isEmpty)
                await transport.finish()
            }
        }

        @Test func aHandlerThatDoesNotReadStopsTheSocketBeingRead() async throws {
            var router = WebSocketRouter()
            router.configuration.maxQueuedBytes = 4 << 20
            let unreadAfterAWhile = NIOLockedValueBox(0)
            router.ws("/slow") { connection in
                try await connection.sleep(for: .milliseconds(500))
                unreadAfterAWhile.withLockedValue { $0 = connection.unreadBytes }
                var count = 0
                for try await _ in connection.messages {
                    count += 1
                    if count == 40 { break }
                }
                try await connection.send(text: "read \(count)")
            }
            try await withServer({ try await SessionServer.start(router: router) }) { server in
                let (client, transport) = try await Self.connect(server, "/slow")
                let megabyte = [UInt8](repeating: 0x5A, count: 1 << 20)
                for _ in 0..<40 { try await client.send(binary: megabyte) }
                #expect(try await client.receive(timeout: .seconds(60)) == .text("read 40"))
                // Without back-pressure all 40 MiB would be queued by then; one socket read may overshoot a little.
                #expect(unreadAfterAWhile.withLockedValue { $0 } <= 6 << 20)
                await transport.finish()
            }
        }
    }
}
