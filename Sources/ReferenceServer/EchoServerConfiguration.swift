public import WebSocketCore

/// How the reference echo server behaves. The keepalive settings are what the 11.x cases test, so a run
/// passes the same values to the suite (`RunParameters`).
public struct EchoServerConfiguration: Sendable {
    /// The connection's limits; echoes are compressed at zlib's fastest level, since an echo server's ratio
    /// is nobody's concern and deflate at the default level was most of the load sections' cost.
    public var connection: Connection.Configuration = {
        var configuration = Connection.Configuration()
        configuration.compressionLevel = 1
        return configuration
    }()
    /// Subprotocols the server speaks, most preferred first.
    public var subprotocols: [String] = ["wsspec.echo"]
    /// permessage-deflate (RFC 7692): the first valid offer is accepted as it is; `nil` declines them all.
    public var permessageDeflate: PerMessageDeflatePolicy? = PerMessageDeflatePolicy()
    /// Send a ping this often; `nil` sends none.
    public var pingInterval: Duration?
    /// Close the connection (1001) when a ping goes unanswered for this long, counted from the ping or from the
    /// last bytes received, whichever is later (a peer still sending a large message is alive).
    public var pongTimeout: Duration = .seconds(10)
    /// Drop the transport when the peer does not answer our close frame within this time.
    public var closeTimeout: Duration = .seconds(5)
    /// Refuse an opening request whose head is larger than this.
    public var maxHeadSize = 16 * 1024

    public init() {}
}

extension EchoServerConfiguration {
    /// The configuration the built-in suite run uses: keepalive on (a ping every 5 s, 10 s to answer it,
    /// 5 s to answer a close), so that the 11.x cases have something to check.
    public static var withKeepalive: EchoServerConfiguration {
        var configuration = EchoServerConfiguration()
        configuration.pingInterval = .seconds(5)
        configuration.pongTimeout = .seconds(10)
        configuration.closeTimeout = .seconds(5)
        return configuration
    }

    /// The configuration of a live run against the built-in server: the same keepalive behaviour on a short
    /// clock (a ping every second, 8 s to answer it, 1 s to answer a close), so that section 11 takes seconds
    /// of wall time rather than minutes. The pong timeout is the longest: a client reading a 16 MiB echo on a
    /// busy machine (a debug build, 16 cases at once) answers only once the echo is in, and a 2 s timeout
    /// closed some 9.x connections with 1001.
    public static var withQuickKeepalive: EchoServerConfiguration {
        var configuration = EchoServerConfiguration()
        configuration.pingInterval = .seconds(1)
        configuration.pongTimeout = .seconds(8)
        configuration.closeTimeout = .seconds(1)
        return configuration
    }
}
