#if Hummingbird
    public import Hummingbird
    public import HummingbirdCore
    public import HummingbirdWebSocket
    public import Logging
    public import NIOCore
    import NIOHTTP1
    import SimulatedNIO
    public import Transport
    public import WebSocketNIO
    public import WebSocketRoutes
    import WebSocketServerHummingbird
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
        private let serve: @Sendable (SimulatedLink) -> any SimulatedServerEndpoint

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
            self.init(router: router, logger: logger) { responder in
                HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketRouter.buildResponder(), configuration: configuration)
            }
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
            self.init(router: router, logger: logger) { responder in
                HTTP1WebSocketUpgradeChannel(responder: responder, configuration: configuration, shouldUpgrade: shouldUpgrade)
            }
        }

        /// An application with a wsspec `WebSocketRouter` mounted beside its HTTP routes
        /// (`Application(router:server: .http1(webSocketRoutes:))`): the HTTP requests are Hummingbird's, the
        /// WebSocket routes wsspec's own protocol code, one connection each, as on a port.
        public init<HTTPRouter: HTTPResponderBuilder>(
            router: HTTPRouter, webSocketRoutes: WebSocketRoutes.WebSocketRouter,
            configuration: HTTP1Channel.Configuration = .init(), limits: ConnectionLimits = ConnectionLimits(),
            logger: Logger = Logger(label: "wsspec.hummingbird")
        ) where HTTPRouter.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
            self.init(router: router, logger: logger) { responder in
                WebSocketRoutesChannel(responder: responder, router: webSocketRoutes, configuration: configuration, limits: limits)
            }
        }

        /// Any child channel a Hummingbird server can be built with (what an `HTTPServerBuilder` makes of the
        /// application's responder), run per connection as the server runs it: `setup`, then `handle`.
        public init<HTTPRouter: HTTPResponderBuilder, Child: ServerChildChannel>(
            router: HTTPRouter, logger: Logger = Logger(label: "wsspec.hummingbird"),
            childChannel: (@escaping HTTPChannelHandler.Responder) -> Child
        ) where HTTPRouter.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
            let child = childChannel(Self.channelResponder(router.buildResponder(), logger: logger))
            serve = { link in
                ChannelServer<Child.Value>(
                    setUp: { simulated in
                        // Hummingbird decides an upgrade in an unstructured Task: virtual time waits for its answer.
                        simulated.holdTimeForUpgradeAnswer(why: "Hummingbird decides the upgrade")
                        return child.setup(channel: simulated, logger: logger)
                    },
                    handle: { value, _ in await child.handle(value: value, logger: logger) }
                ).attach(to: link)
            }
        }

        public func attach(to link: SimulatedLink) -> any SimulatedServerEndpoint { serve(link) }

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
