public import Logging
import NIOCore
import NIOHTTP2
public import NIOSSL
import SimulatedNIO
public import Transport
public import WebSocketCore
public import WireSim

/// `SessionServer` on the simulated network: each connection is a `SimulatedChannel` set up as a socket the server
/// accepted is (`SessionServer.addConnectionHandlers`): HTTP/1.1 and HTTP/2 with prior knowledge on one "port",
/// with its deadlines on the simulation's clock. How `wsspec run --sim --http2-prior-knowledge` hosts the reference
/// server: the same pipeline as live, deterministic per seed. With `tls`, the connections are TLS first, as a
/// listener's with a server context are (ALPN `h2` chooses HTTP/2): BoringSSL's handshake runs in memory on the link.
public struct InProcessSessionServer: InProcessServer {
    public var limits: ConnectionLimits
    public var logger: Logger
    public var tls: NIOSSLContext?
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
        let (limits, logger, makeSession, plant, tls) = (limits, logger, makeSession, plant, tls)
        link.simulation.schedule(after: .zero) {
            // What the listener's bootstrap sets on the sockets it accepts.
            _ = channel.setOption(.allowRemoteHalfClosure, value: true)
            do {
                try SessionServer.addConnectionHandlers(
                    channel, tls: tls, http2: true, makeSession: makeSession, connections: ConnectionSet(), limits: limits,
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
/// extended CONNECT on a stream of its own connection. With `tls` (a client context offering `h2` in ALPN), the
/// connection is TLS first, as `--http2` makes it live, with the same checks of the server's certificate.
public struct InProcessHTTP2Connector: InProcessConnector {
    public var tls: NIOSSLContext?

    public init(tls: NIOSSLContext? = nil) { self.tls = tls }

    /// What errors name, and what the certificate is checked against: the in-process server has no URL of its own;
    /// its channel says it is 127.0.0.1, port 80 (443 with TLS).
    private var url: WebSocketURL { try! WebSocketURL(parsing: tls == nil ? "ws://127.0.0.1:80/" : "wss://127.0.0.1:443/") }

    public func connect(over link: SimulatedLink, timeout: Duration) async throws -> InProcessClientConnection {
        let loop = SimulationEventLoop(simulation: link.simulation, deadlineClock: .virtual)
        let channel = SimulatedChannel(link: link, eventLoop: loop, side: .a)
        let peerSettings = loop.makePromise(of: HTTP2Settings.self)
        let began = loop.now
        let (url, tls) = (url, tls)
        let clientTLS = try NIOTransport.clientTLS(for: url, tls)
        try await loop.submit {
            do {
                try NIOTransport.configureHTTP2Client(channel, tls: clientTLS, peerSettings: peerSettings)
            } catch {
                peerSettings.fail(error)
                throw error
            }
            channel.activate()
        }.get()
        let transport = try await NIOTransport.openExtendedConnectStream(
            on: channel, url: url, peerSettings: peerSettings, began: began, timeout: timeout)
        return InProcessClientConnection(transport: transport) { channel.shutDown() }
    }
}
