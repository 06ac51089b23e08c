#if Vapor
    import NIOCore
    import NIOHTTP1
    import Vapor
    import WireSim

    /// What Vapor's HTTP/1.1 server does with a connection once NIO's codec has parsed it, for an in-process
    /// connection: a `Request` per request, the application's own responder, the `Response` written back, and a
    /// response that carries an `upgrader` (every `webSocket` route's does) applied as Vapor's upgrade handler applies
    /// it: Vapor's `WebSocketUpgrader` builds NIO's WebSocket upgrader and websocket-kit's `WebSocket`.
    ///
    /// Vapor keeps its own handlers for this internal (`addVaporHTTP1Handlers`), so this is the one part written
    /// here; it follows them step for step where a verdict can depend on it (what closes a connection, when the
    /// upgrade's bytes are buffered, the order the HTTP handlers leave in). What it leaves out is listed in
    /// docs/frameworks-in-process.md: response compression, request decompression, streamed request bodies.
    final class VaporConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        /// A request body larger than this is refused with 413 and the connection closed: an in-process client is
        /// the test's own, but a test that sends a runaway body must not exhaust memory.
        static let bodyLimit = 64 * 1024 * 1024

        private enum State {
            case idle
            case reading(HTTPRequestHead, ByteBuffer?)
            /// A response (or the upgrade) is under way; anything that arrives now is out of order.
            case responding
        }

        private let application: Application
        private let responder: any Responder
        private let simulation: Simulation
        /// The HTTP handlers that leave the pipeline when the connection upgrades (the request decoder last: its
        /// unparsed bytes are the first WebSocket frames).
        private let responseEncoder: HTTPResponseEncoder
        private let requestDecoder: ByteToMessageHandler<HTTPRequestDecoder>
        private let otherHTTPHandlers: [any RemovableChannelHandler]
        private var state = State.idle

        init(
            application: Application, responder: any Responder, simulation: Simulation,
            responseEncoder: HTTPResponseEncoder, requestDecoder: ByteToMessageHandler<HTTPRequestDecoder>,
            otherHTTPHandlers: [any RemovableChannelHandler]
        ) {
            self.application = application
            self.responder = responder
            self.simulation = simulation
            self.responseEncoder = responseEncoder
            self.requestDecoder = requestDecoder
            self.otherHTTPHandlers = otherHTTPHandlers
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch (unwrapInboundIn(data), state) {
            case (.head(let head), .idle):
                state = .reading(head, nil)
            case (.body(var chunk), .reading(let head, var body)):
                guard (body?.readableBytes ?? 0) + chunk.readableBytes <= Self.bodyLimit else {
                    return refuse(.payloadTooLarge, context: context)
                }
                if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
                state = .reading(head, body)
            case (.end, .reading(let head, let body)):
                state = .responding
                respond(to: head, body: body, context: context)
            default:
                // Parts out of order (NIO's pipelining handler queues requests while one is answered), or bytes after
                // an upgrade began: Vapor's decoder asserts here; a test gets a closed connection.
                context.close(promise: nil)
            }
        }

        private func respond(to head: HTTPRequestHead, body: ByteBuffer?, context: ChannelHandlerContext) {
            let request = Request(
                application: application, method: head.method, url: URI(path: head.uri), version: head.version,
                headersNoUpdate: head.headers, collectedBody: body, remoteAddress: context.channel.remoteAddress,
                logger: application.logger, byteBufferAllocator: context.channel.allocator, on: context.eventLoop)
            // Vapor buffers what arrives after an upgrade request until the upgrade is decided: those bytes are
            // WebSocket frames, not the next request.
            var upgradeBuffer: UpgradeBuffer?
            if head.headers[canonicalForm: "connection"].contains(where: { $0.lowercased() == "upgrade" }) {
                let buffer = UpgradeBuffer()
                if (try? context.pipeline.syncOperations.addHandler(buffer, position: .before(requestDecoder))) != nil {
                    upgradeBuffer = buffer
                }
            }
            // The responder may answer from a task of its own (an async route or middleware): virtual time waits.
            let hold = simulation.holdTime("Vapor answers \(head.method) \(head.uri)")
            let bound = NIOLoopBound((self, context, upgradeBuffer), eventLoop: context.eventLoop)
            responder.respond(to: request).hop(to: context.eventLoop).whenComplete { result in
                hold.release()
                let (handler, context, upgradeBuffer) = bound.value
                switch result {
                case .failure:
                    // Vapor's server closes a connection whose responder failed (its NIOCloseOnErrorHandler).
                    context.close(promise: nil)
                case .success(let response):
                    if response.status == .switchingProtocols, let upgrader = response.upgrader, let upgradeBuffer {
                        handler.upgrade(
                            request: request, head: head, response: response, upgrader: upgrader, buffer: upgradeBuffer,
                            context: context)
                    } else {
                        if let upgradeBuffer { context.pipeline.syncOperations.removeHandler(upgradeBuffer, promise: nil) }
                        handler.write(response, for: head, context: context)
                    }
                }
            }
        }

        /// What Vapor's response encoder and request handler write: the head, the whole body (a streamed one is
        /// collected first), and `Connection` as the request's keep-alive asks; `close` closes the output after.
        private func write(_ response: Response, for head: HTTPRequestHead, context: ChannelHandlerContext) {
            let keepAlive = head.isKeepAlive
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            response.body.collect(on: context.eventLoop).hop(to: context.eventLoop).whenComplete { collected in
                let (handler, context) = bound.value
                guard case .success(let body) = collected else { return context.close(promise: nil) }
                var headers = response.headers
                headers.replaceOrAdd(name: "connection", value: keepAlive ? "keep-alive" : "close")
                let sendsBody = head.method != .HEAD && response.status != .noContent
                if sendsBody, headers["content-length"].isEmpty {
                    headers.remove(name: "transfer-encoding")
                    headers.replaceOrAdd(name: "content-length", value: String(body?.readableBytes ?? 0))
                }
                context.write(
                    handler.wrapOutboundOut(.head(HTTPResponseHead(version: response.version, status: response.status, headers: headers))),
                    promise: nil)
                if sendsBody, let body, body.readableBytes > 0 {
                    context.write(handler.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
                }
                let done = context.writeAndFlush(handler.wrapOutboundOut(.end(nil)))
                handler.state = .idle
                if !keepAlive { done.whenComplete { _ in bound.value.1.close(mode: .output, promise: nil) } }
            }
        }

        /// Vapor's upgrade, in its order: NIO's upgrader (from the route's `WebSocketUpgrader`) builds the 101's
        /// headers, or fails and the connection closes; the 101 goes out; the HTTP handlers leave; websocket-kit's
        /// `WebSocket` takes the channel; the bytes that arrived meanwhile are replayed to it.
        private func upgrade(
            request: Request, head: HTTPRequestHead, response: Response, upgrader: any Upgrader, buffer: UpgradeBuffer,
            context: ChannelHandlerContext
        ) {
            let protocolUpgrader = upgrader.applyUpgrade(req: request, res: response)
            // Everything the steps below touch belongs to the channel's loop, where each step runs.
            let bound = NIOLoopBound((self, context, protocolUpgrader, buffer), eventLoop: context.eventLoop)
            let pipeline = context.pipeline
            protocolUpgrader.buildUpgradeResponse(channel: context.channel, upgradeRequest: head, initialResponseHeaders: [:])
                .flatMap { headers in
                    let (handler, context, _, _) = bound.value
                    context.write(
                        handler.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .switchingProtocols, headers: headers))),
                        promise: nil)
                    context.writeAndFlush(handler.wrapOutboundOut(.end(nil)), promise: nil)
                    return pipeline.syncOperations.removeHandler(handler.responseEncoder)
                }
                .flatMap {
                    let handler = bound.value.0
                    let others = handler.otherHTTPHandlers.map { pipeline.syncOperations.removeHandler($0) }
                    return EventLoopFuture.andAllComplete(others, on: pipeline.eventLoop)
                }
                .flatMap { pipeline.syncOperations.removeHandler(bound.value.0) }
                .flatMap { bound.value.2.upgrade(context: bound.value.1, upgradeRequest: head) }
                .flatMap { pipeline.syncOperations.removeHandler(bound.value.0.requestDecoder) }
                .flatMap { pipeline.syncOperations.removeHandler(bound.value.3) }
                .whenFailure { _ in bound.value.1.close(promise: nil) }
        }

        private func refuse(_ status: HTTPResponseStatus, context: ChannelHandlerContext) {
            state = .responding
            let headers = HTTPHeaders([("connection", "close"), ("content-length", "0")])
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
        }
    }

    /// Holds the bytes that arrive after an upgrade request until the upgrade is decided, and replays them when it
    /// leaves the pipeline: what Vapor's own upgrade buffer does.
    final class UpgradeBuffer: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        private var held: [NIOAny] = []

        func channelRead(context: ChannelHandlerContext, data: NIOAny) { held.append(data) }

        func handlerRemoved(context: ChannelHandlerContext) {
            for data in held { context.fireChannelRead(data) }
            held = []
        }
    }
#endif
