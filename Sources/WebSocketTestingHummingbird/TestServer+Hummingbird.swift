#if Hummingbird
    public import Hummingbird
    public import HummingbirdWebSocket
    public import Logging
    public import NIOCore
    public import HummingbirdCore
    public import WebSocketRoutes
    public import WebSocketTesting
    public import WireSim

    extension TestServer {
        /// Hosts a Hummingbird application's routes in-process: the mock-connection API (`connect`, `request`,
        /// `TestConnection`) reaches them through Hummingbird's own upgrade and WebSocket handling.
        ///
        ///     let server = TestServer(hummingbird: router, webSocketRouter: wsRouter)
        ///     let client = try await server.connect("/echo")
        public convenience init<HTTPRouter: HTTPResponderBuilder, WebSocketRouter: HTTPResponderBuilder>(
            seed: UInt64 = 0, link: LinkOptions = .ideal,
            hummingbird router: HTTPRouter, webSocketRouter: WebSocketRouter,
            configuration: HTTP1WebSocketUpgradeChannel.Configuration = .init()
        )
        where
            HTTPRouter.Responder.Context: InitializableFromSource<ApplicationRequestContextSource>,
            WebSocketRouter.Responder.Context: WebSocketRequestContext
        {
            self.init(
                seed: seed, link: link,
                application: HummingbirdServer(router: router, webSocketRouter: webSocketRouter, configuration: configuration))
        }

        /// Hosts a Hummingbird application whose server decides upgrades in a closure
        /// (`.http1WebSocketUpgrade(configuration:shouldUpgrade:)`).
        public convenience init<HTTPRouter: HTTPResponderBuilder>(
            seed: UInt64 = 0, link: LinkOptions = .ideal,
            hummingbird router: HTTPRouter, configuration: HTTP1WebSocketUpgradeChannel.Configuration = .init(),
            shouldUpgrade:
                @escaping @Sendable (HTTPRequest, any Channel, Logger) async throws -> ShouldUpgradeResult<
                    WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>
                >
        ) where HTTPRouter.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
            self.init(
                seed: seed, link: link,
                application: HummingbirdServer(router: router, configuration: configuration, shouldUpgrade: shouldUpgrade))
        }

        /// Hosts a Hummingbird application with a wsspec `WebSocketRouter` mounted beside its HTTP routes
        /// (`Application(router:server: .http1(webSocketRoutes:))`), as its server runs it.
        public convenience init<HTTPRouter: HTTPResponderBuilder>(
            seed: UInt64 = 0, link: LinkOptions = .ideal,
            hummingbird router: HTTPRouter, webSocketRoutes: WebSocketRoutes.WebSocketRouter,
            configuration: HTTP1Channel.Configuration = .init()
        ) where HTTPRouter.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
            self.init(
                seed: seed, link: link,
                application: HummingbirdServer(router: router, webSocketRoutes: webSocketRoutes, configuration: configuration))
        }
    }
#endif
