public import Logging
import NIOCore
import NIOHTTP2
import SimulatedNIO
public import Transport
public import WebSocketCore
public import WireSim

/// `SessionServer` on the simulated network: each connection is a `SimulatedChannel` set up as a socket the server
/// accepted is (`SessionServer.addConnectionHandlers`): HTTP/1.1 and HTTP/2 with prior knowledge on one "port",
/// with its deadlines on the simulation's clock. How `wsspec run --sim --http2-prior-knowledge` hosts the reference
/// server: the same pipeline as live, deterministic per seed.
public struct InProcessSessionServer: InProcessServer {
    public var limits: ConnectionLimits
    public var logger: Logger
    /// A defect planted on purpose, for tests of the HTTP/2 section (`HTTP2ServerPlant`).
    package var plant = HTTP2ServerPlant.none
    public let makeSession: @Sendable () -> any ServerSession

    public init(
        limits: ConnectionLimits = ConnectionLimits(), logger: Logger = Logger(label: "wsspec.server"),
        makeSession: @escaping @Sendable () -> any ServerSession
    ) {
        self.limits = limits
        self.logger = logger
        self.makeSession = makeSession
    }

    public func attach(to link: SimulatedLink) -> any SimulatedServerEndpoint {
        let channel = SimulatedChannel(
            link: link, eventLoop: SimulationEventLoop(simulation: link.simulation, deadlineClock: .virtual))
        let (limits, logger, makeSession, plant) = (limits, logger, makeSession, plant)
        link.simulation.schedule(after: .zero) {
            // What the listener's bootstrap sets on the sockets it accepts.
            _ = channel.setOption(.allowRemoteHalfClosure, value: true)
            do {
                try SessionServer.addConnectionHandlers(
                    channel, tls: nil, http2: true, makeSession: makeSession, connections: ConnectionSet(), limits: limits,
                    messageMemory: MessageMemoryBudget(limit: limits.maxMessageMemory), logger: logger, plant: plant)
            } catch {
                return channel.close(promise: nil)
            }
            channel.activate()
        }
        return channel
    }
}

/// The client of `wsspec run --sim --http2-prior-knowledge`: an HTTP/2 connection with prior knowledge over the
/// simulated link, on the simulation's clock, through the same steps as a live h2c connection
/// (`NIOTransport.configureHTTP2Client`, `NIOTransport.openExtendedConnectStream`): each case's WebSocket is an
/// extended CONNECT on a stream of its own connection.
public struct InProcessHTTP2Connector: InProcessConnector {
    public init() {}

    /// What errors name: the in-process server has no URL of its own; its channel says it is 127.0.0.1:80.
    private static let url = try! WebSocketURL(parsing: "ws://127.0.0.1:80/")

    public func connect(over link: SimulatedLink, timeout: Duration) async throws -> InProcessClientConnection {
        let loop = SimulationEventLoop(simulation: link.simulation, deadlineClock: .virtual)
        let channel = SimulatedChannel(link: link, eventLoop: loop, side: .a)
        let peerSettings = loop.makePromise(of: HTTP2Settings.self)
        let began = loop.now
        try await loop.submit {
            do {
                try NIOTransport.configureHTTP2Client(channel, tls: nil, peerSettings: peerSettings)
            } catch {
                peerSettings.fail(error)
                throw error
            }
            channel.activate()
        }.get()
        let transport = try await NIOTransport.openExtendedConnectStream(
            on: channel, url: Self.url, peerSettings: peerSettings, began: began, timeout: timeout)
        return InProcessClientConnection(transport: transport) { channel.shutDown() }
    }
}
