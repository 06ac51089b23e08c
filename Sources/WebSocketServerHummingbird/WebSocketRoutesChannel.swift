#if Hummingbird
    public import HummingbirdCore
    public import Logging
    public import NIOCore
    import ServiceLifecycle
    import WebSocketCore
    public import WebSocketNIO
    public import WebSocketRoutes

    /// A Hummingbird server's child channel that serves a wsspec `WebSocketRouter` beside the application's HTTP
    /// routes, from one port. A connection whose first request is a WebSocket handshake (it carries `Upgrade`,
    /// `Sec-WebSocket-Key` or `Sec-WebSocket-Version`) for a path the router has a route for is served by wsspec's
    /// own protocol code, exactly as `SessionServer` serves it: the handshake, the route's guards, its handler,
    /// keepalive. Every other connection is Hummingbird's `HTTP1Channel`: its router, groups and middleware.
    ///
    /// The choice is made once per connection, on its first request (browsers open a connection of its own for
    /// each WebSocket). Hummingbird's middleware does not run for the WebSocket routes; their own guards do.
    public struct WebSocketRoutesChannel: ServerChildChannel {
        /// One connection: its channel, and where its first request sent it.
        public struct Value: ServerChildChannelValue {
            public let channel: any Channel
            let destination: EventLoopFuture<Destination>
        }

        enum Destination: Sendable {
            case http(HTTP1Channel.Value)
            case webSocketRoutes
            /// The connection ended (or sent nothing in time) before its first request was whole.
            case closed
        }

        private let http: HTTP1Channel
        private let router: WebSocketRouter
        private let limits: ConnectionLimits
        private let messageMemory: MessageMemoryBudget
        private let maxHeadSize: Int

        /// - Parameters:
        ///   - responder: the application's HTTP responder (what `HTTPServerBuilder` is given).
        ///   - router: the WebSocket routes, with their handlers and guards.
        ///   - configuration: Hummingbird's HTTP/1.1 channel configuration, for the HTTP connections.
        ///   - limits: the WebSocket connections' limits, as `SessionServer` takes them; `handshakeTimeout` also
        ///     bounds how long any connection may take to send its first request head.
        public init(
            responder: @escaping HTTPChannelHandler.Responder, router: WebSocketRouter,
            configuration: HTTP1Channel.Configuration = .init(), limits: ConnectionLimits = ConnectionLimits()
        ) {
            http = HTTP1Channel(responder: responder, configuration: configuration)
            self.router = router
            self.limits = limits
            messageMemory = MessageMemoryBudget(limit: limits.maxMessageMemory)
            // A head Hummingbird would accept may be larger than a WebSocket handshake needs: the sniffer reads
            // as far as Hummingbird's decoder would, so that the HTTP side still sees and refuses what is too large.
            maxHeadSize = configuration.httpDecoder.maxHeaderListSize + 16 * 1024
        }

        public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
            let (http, router, limits, messageMemory) = (http, router, limits, messageMemory)
            return channel.eventLoop.makeCompletedFuture {
                let destination = channel.eventLoop.makePromise(of: Destination.self)
                let sniffer = FirstRequestSniffer(
                    maxHeadSize: maxHeadSize, timeout: TimeAmount(limits.handshakeTimeout),
                    decide: { head, _ in
                        if let head, Self.isWebSocketHandshake(head), router.hasRoute(forTarget: head.target) {
                            try channel.addSessionHandlers(
                                router.makeSession(), limits: limits, messageMemory: messageMemory, logger: logger)
                            destination.succeed(.webSocketRoutes)
                        } else {
                            // HTTP1Channel's set-up completes at once: its handlers are in place before the
                            // sniffer leaves and hands them the bytes.
                            http.setup(channel: channel, logger: logger).map { .http($0) }.cascade(to: destination)
                        }
                    },
                    gone: { destination.succeed(.closed) })
                try channel.pipeline.syncOperations.addHandler(sniffer)
                return Value(channel: channel, destination: destination.futureResult)
            }
        }

        public func handle(value: Value, logger: Logger) async {
            switch try? await value.destination.get() {
            case .http(let connection):
                await http.handle(value: connection, logger: logger)
            case .webSocketRoutes:
                // The session runs on the channel; a graceful shutdown of the server closes it rather than waiting
                // for the client.
                let channel = value.channel
                await withGracefulShutdownHandler {
                    try? await channel.closeFuture.get()
                } onGracefulShutdown: {
                    channel.close(promise: nil)
                }
            case .closed, nil:
                try? await value.channel.close()
            }
        }

        /// A request that means to open a WebSocket, well formed or not: it is the WebSocket code's to judge.
        static func isWebSocketHandshake(_ head: HTTPRequestHead) -> Bool {
            !head.headers["upgrade"].isEmpty || !head.headers["sec-websocket-key"].isEmpty
                || !head.headers["sec-websocket-version"].isEmpty
        }
    }

    extension HTTPServerBuilder {
        /// Hummingbird's HTTP/1.1 server with a wsspec `WebSocketRouter`'s routes beside the application's:
        ///
        ///     let app = Application(router: httpRouter, server: .http1(webSocketRoutes: ChatApp.router()))
        public static func http1(
            webSocketRoutes router: WebSocketRouter, configuration: HTTP1Channel.Configuration = .init(),
            limits: ConnectionLimits = ConnectionLimits()
        ) -> HTTPServerBuilder {
            .init { responder in
                WebSocketRoutesChannel(responder: responder, router: router, configuration: configuration, limits: limits)
            }
        }
    }
#endif
