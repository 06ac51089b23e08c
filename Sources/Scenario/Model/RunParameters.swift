/// What a run knows about the server under test. Keepalive and subprotocol cases depend on it: a server's
/// ping interval is an input of the run, not a constant of the suite.
public struct RunParameters: Sendable, Hashable {
    /// The request target of every case.
    public var path = "/"
    /// The `Host` header.
    public var host = "127.0.0.1"
    /// A subprotocol the server speaks (0.6.x); `nil` makes those cases UNIMPLEMENTED.
    public var subprotocol: String?
    /// How often the server pings on its own (11.2, 11.3); `nil` makes those cases UNIMPLEMENTED.
    public var serverPingInterval: Duration?
    /// How long the server waits for a pong before closing (11.3).
    public var serverPongTimeout: Duration?
    /// How long the server waits for the answer to its close frame (11.4).
    public var serverCloseTimeout: Duration?
    /// How long the client waits for the peer's part of the closing handshake.
    public var closeTimeout: Duration = .seconds(2)
    /// How long the client waits for the opening handshake's answer.
    public var handshakeTimeout: Duration = .seconds(5)
    /// Extra time granted on top of every timing a case derives from the parameters above.
    public var slack: Duration = .seconds(1)

    public init() {}
}
