#if Vapor
    import NIOCore
    import NIOHTTP1
    import SimulatedNIO
    public import Transport
    public import Vapor
    public import WireSim

    /// A Vapor application's routes as an in-process server: each connection runs NIO's HTTP/1.1 codec, the
    /// application's own responder (its routes, groups and middleware), and for a `webSocket` route Vapor's
    /// upgrader and websocket-kit, on a `SimulatedChannel` instead of a socket.
    ///
    /// Time: websocket-kit schedules its pings on the channel's event loop, so `advanceTime` brings them. A route
    /// or middleware that is `async`, and an `async` `onUpgrade` closure, run in tasks of Vapor's own; virtual time
    /// waits for a response, not for an `async` `onUpgrade` (see docs/frameworks-in-process.md).
    public struct VaporServer: InProcessServer {
        private let application: Application
        private let responder: any Vapor.Responder

        /// - Parameter application: the application, its routes registered (the responder is built from them now,
        ///   as Vapor's server builds it when it starts). Shutting it down stays the caller's work.
        public init(_ application: Application) {
            self.application = application
            responder = application.responder.current
        }

        public func attach(to link: SimulatedLink) -> any SimulatedServerEndpoint {
            let (application, responder) = (application, responder)
            return ChannelServer<Void>(
                setUp: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        // Vapor's HTTP/1.1 pipeline, in Vapor's order, with its pipelining switch.
                        let encoder = HTTPResponseEncoder()
                        let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
                        let pipelining: [any RemovableChannelHandler] =
                            application.http.server.configuration.supportPipelining ? [HTTPServerPipelineHandler()] : []
                        let handler = VaporConnectionHandler(
                            application: application, responder: responder, simulation: channel.link.simulation,
                            responseEncoder: encoder, requestDecoder: decoder, otherHTTPHandlers: pipelining)
                        let handlers: [any ChannelHandler] = [encoder, decoder] + pipelining + [handler, NIOCloseOnErrorHandler()]
                        try channel.pipeline.syncOperations.addHandlers(handlers)
                    }
                },
                handle: { _, channel in try? await channel.closeFuture.get() }
            ).attach(to: link)
        }
    }
#endif
