#if Hummingbird
    public import Hummingbird
    import HummingbirdCore
    public import HummingbirdWebSocket
    public import Logging
    public import NIOCore
    import NIOHTTP1
    import SimulatedNIO
    public import Transport
    public import WireSim

    /// A Hummingbird application's HTTP and WebSocket routes as an in-process server: each connection runs
    /// Hummingbird's own HTTP/1.1 and WebSocket upgrade channel (`HTTP1WebSocketUpgradeChannel`, what
    /// `.http1WebSocketUpgrade(webSocketRouter:)` builds for a live server) and swift-websocket's handler, on a
    /// `SimulatedChannel` instead of a socket.
    ///
    /// Time: NIO timers (an HTTP idle timeout) follow virtual time. swift-websocket's automatic pings and its
    /// close timeout sleep on the wall clock (`Task.sleep`), so `advanceTime` does not bring them; see
    /// docs/frameworks-in-process.md.
    public struct HummingbirdServer: InProcessServer {
        private let channel: HTTP1WebSocketUpgradeChannel
        private let logger: Logger

        /// - Parameters:
        ///   - router: the application's HTTP routes (what it passes to `Application(router:)`).
        ///   - webSocketRouter: the routes that may upgrade (what it passes to `.http1WebSocketUpgrade(webSocketRouter:)`).
        ///   - configuration: the same configuration the application's server uses (extensions, limits, pings).
        public init<HTTPRouter: HTTPResponderBuilder, WebSocketRouter: HTTPResponderBuilder>(
            router: HTTPRouter, webSocketRouter: WebSocketRouter,
            configuration: HTTP1WebSocketUpgradeChannel.Configuration = .init(),
            logger: Logger = Logger(label: "wsspec.hummingbird")
        )
        where
            HTTPRouter.Responder.Context: InitializableFromSource<ApplicationRequestContextSource>,
            WebSocketRouter.Responder.Context: WebSocketRequestContext
        {
            self.logger = logger
            channel = HTTP1WebSocketUpgradeChannel(
                responder: Self.channelResponder(router.buildResponder(), logger: logger),
                webSocketResponder: webSocketRouter.buildResponder(),
                configuration: configuration)
        }

        /// An application whose server decides upgrades in a closure, as Hummingbird's own Autobahn example writes
        /// it (`.http1WebSocketUpgrade(configuration:) { request, channel, logger in .upgrade([:]) { … } }`).
        public init<HTTPRouter: HTTPResponderBuilder>(
            router: HTTPRouter, configuration: HTTP1WebSocketUpgradeChannel.Configuration = .init(),
            logger: Logger = Logger(label: "wsspec.hummingbird"),
            shouldUpgrade:
                @escaping @Sendable (HTTPRequest, any Channel, Logger) async throws -> ShouldUpgradeResult<
                    WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>
                >
        ) where HTTPRouter.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
            self.logger = logger
            channel = HTTP1WebSocketUpgradeChannel(
                responder: Self.channelResponder(router.buildResponder(), logger: logger), configuration: configuration,
                shouldUpgrade: shouldUpgrade)
        }

        public func attach(to link: SimulatedLink) -> any SimulatedServerEndpoint {
            let (channel, logger) = (channel, logger)
            return ChannelServer<HTTP1WebSocketUpgradeChannel.Value>(
                setUp: { simulated in
                    // Hummingbird decides an upgrade in an unstructured Task: virtual time waits for its answer.
                    simulated.holdTimeForUpgradeAnswer(why: "Hummingbird decides the upgrade")
                    return channel.setup(channel: simulated, logger: logger)
                },
                handle: { value, _ in await channel.handle(value: value, logger: logger) }
            ).attach(to: link)
        }

        /// What `Application.run` makes of a responder for its server: a request context per request, errors
        /// that are not HTTP errors as 500, and the response written.
        private static func channelResponder<Responder: HTTPResponder>(
            _ responder: Responder, logger: Logger
        ) -> HTTPChannelHandler.Responder
        where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
            { request, responseWriter, channel in
                let context = Responder.Context(source: .init(channel: channel, logger: logger))
                let response: Response
                do {
                    response = try await responder.respond(to: request, context: context)
                } catch let error as HTTPParserError {
                    throw error
                } catch {
                    response = Response(status: .internalServerError, body: .init())
                }
                try await responseWriter.write(response: response.head, body: response.body)
            }
        }
    }
#endif
