/// What one client may hold of a server we run (`SessionServer`, and `TransportServer` under serve-suite and
/// run-client): how many connections are served at once, how long each may take to ask for its upgrade, stay
/// silent, or keep a closed connection open, how much the server queues for it to read, and how much memory
/// messages in progress take in all. The defaults keep a server up and its memory bounded whatever the clients do
/// (tested against the hostile clients of `scripts/bench-hostile-clients.sh`), and are generous to slow honest ones.
public struct ConnectionLimits: Sendable, Hashable {
    /// Connections served at once; past it a new one gets 503 with `Retry-After` and is closed, so that idle
    /// or slow clients cannot take every file descriptor and the memory behind them.
    public var maxConnections = 1_024
    /// From the TCP connect to the server's answer to the upgrade request, the TLS handshake included. A client
    /// still sending its request then gets 408 and the connection is closed: a byte a second holds nothing long.
    public var handshakeTimeout: Duration = .seconds(10)
    /// An open connection on which nothing was read and no write completed for this long is closed by the
    /// session (1001, "idle"); a second period of silence drops it. A client that answers pings or reads what
    /// the server sends is never idle, so quiet but healthy clients stay.
    public var idleTimeout: Duration = .seconds(120)
    /// How long a connection whose session closed it (or whose client half-closed) waits for the client's FIN,
    /// or for our last bytes to be read, before closing anyway.
    public var lingerTimeout: Duration = .seconds(2)
    /// Bytes queued for a client beyond which the server stops reading from it until the queue drains below
    /// half: a client that sends pings (or anything that is answered) and never reads cannot grow it further,
    /// and a handler's `send` waits while it is full.
    public var maxQueuedOutput = 1 << 20
    /// Memory for messages still arriving, shared by all connections (`MessageMemoryBudget`): each message is
    /// bounded by its connection's `maxMessageLength`, and together by this. A message that would pass it fails
    /// its connection with 1013 (Try Again Later). Enough for 32 messages of 16 MiB at once, the largest the
    /// conformance suite sends.
    public var maxMessageMemory = 512 << 20
    /// Agents a server that keeps results per agent (serve-suite) keeps; past it a new agent replaces the one with
    /// the fewest results. Each keeps at most one result per case (a report column of several hundred), so this
    /// bounds what made-up agent names can make the server hold and write.
    public var maxAgents = 50

    public init() {}

    /// The limits of a server that runs cases against clients (serve-suite, run-client): the cases' own messages
    /// (16 MiB at most, held as payload, frames and echo) are admitted against a budget that keeps a few of the
    /// largest at once, so that clients that never read cannot make the server hold more than that.
    public static var caseServer: ConnectionLimits {
        var limits = ConnectionLimits()
        limits.maxMessageMemory = 128 << 20
        return limits
    }
}
