import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix
import ReferenceServer
import Testing
import WebSocketNIO
import WebSocketServer

extension LiveTests {
    /// Clients that misuse HTTP/2 against the server's HTTP/2 side (RFC 8441): each gets an answer or a deadline, and
    /// the server goes on serving.
    @Suite("Hostile HTTP/2 clients")
    struct HTTP2HostileClientTests {
        static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
        /// An empty SETTINGS frame (RFC 9113 §6.5): the rest of a client's connection preface.
        static let emptySettings: [UInt8] = [0, 0, 0, 4, 0, 0, 0, 0, 0]

        static func start() async throws -> SessionServer {
            try await SessionServer.referenceServer(EchoServerConfiguration(), limits: HostileClientTests.limits)
        }

        /// The frame types in `bytes`, read as a sequence of HTTP/2 frames (RFC 9113 §4.1).
        static func frameTypes(_ bytes: [UInt8]) -> [UInt8] {
            var types: [UInt8] = []
            var offset = 0
            while offset + 9 <= bytes.count {
                let length = Int(bytes[offset]) << 16 | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2])
                types.append(bytes[offset + 3])
                offset += 9 + length
            }
            return types
        }

        /// A connection that sends the preface and then nothing, opening no WebSocket, is told GOAWAY and closed at the
        /// handshake deadline, as one that sends nothing over HTTP/1.1 is answered 408.
        @Test func aConnectionThatOpensNoStreamIsClosedAtTheHandshakeDeadline() async throws {
            try await withServer(Self.start) { server in
                let client = try RawClient(port: server.port)
                #expect(client.writeAll(Self.preface + Self.emptySettings))
                let clock = ContinuousClock()
                let began = clock.now
                let received = try #require(client.readUntilClosed(timeout: .seconds(10)), "the connection stayed open")
                #expect(clock.now - began < .seconds(5))
                let types = Self.frameTypes(received)
                #expect(types.first == 0x4, "the server's preface is a SETTINGS frame")
                #expect(types.contains(0x7), "a GOAWAY before the close: \(types)")
                #expect(await HostileClientTests.probe(server) != nil, "the server serves others")
            }
        }

        /// A plain CONNECT, without `:protocol` (which crashes some servers' connection handlers), is refused with a
        /// status on its own stream; the connection and the server go on.
        @Test func aPlainConnectIsRefusedWithAStatus() async throws {
            try await withServer(Self.start) { server in
                let status = try await Self.respond(
                    to: [(":method", "CONNECT"), (":authority", "127.0.0.1:\(server.port)")], port: server.port)
                #expect(status.map { (400..<500).contains($0) } == true, "answered \(String(describing: status))")
                #expect(await HostileClientTests.probe(server) != nil)
            }
        }

        /// An ordinary GET over HTTP/2 is refused as it is over HTTP/1.1 (426: upgrade required), not accepted.
        @Test func anOrdinaryRequestIsRefused() async throws {
            try await withServer(Self.start) { server in
                let status = try await Self.respond(
                    to: [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "127.0.0.1")],
                    port: server.port)
                #expect(status.map { (400..<500).contains($0) } == true, "answered \(String(describing: status))")
            }
        }

        /// Sends one request's HEADERS (END_STREAM) on a fresh HTTP/2 connection; the response's `:status`, or nil when
        /// none came within five seconds.
        static func respond(to fields: [(String, String)], port: Int) async throws -> Int? {
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let status = loop.makePromise(of: Int?.self)
            let channel = try await ClientBootstrap(group: loop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                            mode: .client, connectionConfiguration: .init(), streamConfiguration: .init()
                        ) { pushed in pushed.close() }
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
            defer { channel.close(promise: nil) }
            let timeout = loop.scheduleTask(in: .seconds(5)) { status.succeed(nil) }
            defer { timeout.cancel() }
            let stream = try await loop.flatSubmit {
                do {
                    return try channel.pipeline.syncOperations.handler(type: NIOHTTP2Handler.self).syncMultiplexer()
                        .createStreamChannel { stream in
                            stream.eventLoop.makeCompletedFuture {
                                try stream.pipeline.syncOperations.addHandler(StatusReader(status: status))
                            }
                        }
                } catch {
                    return loop.makeFailedFuture(error)
                }
            }.get()
            try await stream.writeAndFlush(HTTP2Frame.FramePayload.headers(.init(headers: HPACKHeaders(fields), endStream: true)))
            return try await status.futureResult.get()
        }
    }
}

/// Completes its promise with the first response's `:status` on the stream, or nil when the stream ends without one.
private final class StatusReader: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    let status: EventLoopPromise<Int?>

    init(status: EventLoopPromise<Int?>) { self.status = status }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .headers(let headers) = unwrapInboundIn(data) {
            status.succeed(headers.headers.first(name: ":status").flatMap { Int($0) })
        }
    }

    func channelInactive(context: ChannelHandlerContext) { status.succeed(nil) }
    func errorCaught(context: ChannelHandlerContext, error: any Error) { status.succeed(nil) }
}
