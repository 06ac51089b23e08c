public import WireSim

/// How an in-process run's client reaches its server over a simulated link: the link itself as the connection
/// (`LinkConnector`, the HTTP/1.1 upgrade), or an HTTP/2 connection over it, one stream of which carries the
/// WebSocket (`InProcessHTTP2Connector`, in WebSocketNIO).
public protocol InProcessConnector: Sendable {
    /// Opens the client's end at side `.a` of `link`, in a task on the link's simulation, within `timeout` of
    /// virtual time. Throws, with the reason as its description, when the server cannot be reached this way.
    func connect(over link: SimulatedLink, timeout: Duration) async throws -> InProcessClientConnection
}

/// The client's end of an in-process connection: the transport a case runs on, and how to end what the
/// connection holds on the simulation when the case is over.
public struct InProcessClientConnection {
    public let transport: any ByteTransport
    public let shutDown: @Sendable () -> Void

    public init(transport: any ByteTransport, shutDown: @escaping @Sendable () -> Void = {}) {
        self.transport = transport
        self.shutDown = shutDown
    }
}

/// The link as the client's TCP connection: the WebSocket opens with the HTTP/1.1 upgrade.
public struct LinkConnector: InProcessConnector {
    public init() {}

    public func connect(over link: SimulatedLink, timeout: Duration) async throws -> InProcessClientConnection {
        InProcessClientConnection(transport: SimulatedTransport(link: link))
    }
}
