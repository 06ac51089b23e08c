public import WebSocketCore
public import WireSim

/// A server that can be hosted at the far end of a simulated link, one connection at a time: a router's
/// sessions, the reference server, or a framework's application on NIO's channel API (`SimulatedNIO`).
/// The mock-connection API (`TestServer`) and the in-process conformance run (`InProcessSuite`) take one.
public protocol InProcessServer: Sendable {
    /// Puts a server for one connection at side `.b` of `link`. The caller keeps the endpoint for as long as
    /// the connection may be used (the link holds its ends weakly) and shuts it down at the end.
    func attach(to link: SimulatedLink) -> any SimulatedServerEndpoint
}

/// One connection's server end on a simulated link.
public protocol SimulatedServerEndpoint: AnyObject {
    /// Ends the connection (a reset) and cancels what the server started for it, so that nothing stays
    /// suspended on a simulation that is about to be dropped. Run the simulation afterwards to let it unwind.
    func shutDown()
}

/// Sans-IO server sessions (`ServerSession`), a fresh one per connection: the reference server, a router's
/// sessions.
public struct InProcessSessions: InProcessServer {
    public let makeSession: @Sendable () -> any ServerSession

    public init(_ makeSession: @escaping @Sendable () -> any ServerSession) {
        self.makeSession = makeSession
    }

    public func attach(to link: SimulatedLink) -> any SimulatedServerEndpoint {
        SimulatedServerHost(link: link, session: makeSession())
    }
}
