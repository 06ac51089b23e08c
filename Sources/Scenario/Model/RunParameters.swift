public import WebSocketCore

/// What a run knows about the server under test. Keepalive and subprotocol cases depend on it: a server's
/// ping interval is an input of the run, not a constant of the suite.
public struct RunParameters: Sendable, Hashable {
    /// The request target of every case.
    public var path = "/"
    /// The `Host` header.
    public var host = "127.0.0.1"
    /// The `Origin` header of every opening request, unless a case sets its own.
    public var origin: String?
    /// Header fields added to every opening request (authentication, for instance); a case's own
    /// deliberate changes still apply after them.
    public var extraHeaders = HTTPHeaders()
    /// A subprotocol the server speaks (0.6.x); `nil` makes those cases UNIMPLEMENTED.
    public var subprotocol: String?
    /// A subprotocol the server requires: every case whose request offers none of its own offers this one (as
    /// Autobahn|Testsuite's `protocols` setting does); a subprotocol case that offers none on purpose (0.6.1) is
    /// UNIMPLEMENTED, since such a server refuses it by design.
    public var requiredSubprotocol: String?
    /// What the server does not implement (`--without`): the cases that need it are UNIMPLEMENTED unrun.
    public var without: Set<OptionalFeature> = []
    /// How often the server pings on its own (11.2, 11.3); `nil` makes those cases UNIMPLEMENTED.
    public var serverPingInterval: Duration?
    /// How long the server waits for a pong before closing (11.3).
    public var serverPongTimeout: Duration?
    /// How long the server waits for the answer to its close frame (11.4).
    public var serverCloseTimeout: Duration?
    /// How long an idle connection must stay open (11.5.1). Short by default, so that a default run takes
    /// seconds; servers that drop idle peers after a minute or more are tested with a longer one.
    public var idlePeriod: Duration = .seconds(5)
    /// How long the client waits for the peer's part of the closing handshake.
    public var closeTimeout: Duration = .seconds(2)
    /// How long the client waits for the opening handshake's answer.
    public var handshakeTimeout: Duration = .seconds(5)
    /// Extra time granted on top of every timing a case derives from the parameters above.
    public var slack: Duration = .seconds(1)
    /// A server that sends more than this in one case is flooding: the case FAILS and the connection is
    /// dropped, so that memory stays bounded whatever the server does.
    /// Counted twice over: bytes on the wire, and payload bytes as decoded (a deflate bomb inflates). Echoes
    /// a round trip matched do not count. 20 MiB holds the catalog's largest message (16 MiB, 9.1.6) with room;
    /// eight cases at a time stay within a few hundred megabytes whatever the server sends.
    public var maxReceivedBytes = 20 << 20
    /// The message bytes one case's log holds whole, for matching (round trips' echoes are compared as they come
    /// and not logged); later messages are logged by their start and length. Eight cases at a time against a
    /// flooding server then hold tens of megabytes, not hundreds.
    public var maxLoggedPayloadBytes = 4 << 20
    /// The same bound on the number of frames and events the client records in one case.
    public var maxObservations = 20_000
    /// The most message bytes one budgeted round-trip case sends (12.x, 13.x): Autobahn|Testsuite sends 1000
    /// messages whatever their size, up to 128 MiB a case; `Int.max` does the same here.
    public var roundTripBudget = 2 << 20
    /// How many bytes of the wire log a result keeps (each way); past it, records keep their length only. A
    /// reader reads the start of a conversation; a flooding server should not make a case page of megabytes.
    public var wireLogLimit = 256 << 10

    public init() {}

    /// The run's plain opening request: its target, host, origin, the subprotocol the server requires and the extra
    /// header fields, with `nonce` and the extensions offered (what the probes of a live run and the HTTP/2 section
    /// open a WebSocket with; a case's own request is its `HandshakeSpec`'s).
    public func standardRequest(nonce: [UInt8], extensions: [ExtensionOffer] = []) -> ClientHandshakeRequest {
        ClientHandshakeRequest(
            target: path, host: host, nonce: nonce, origin: origin, subprotocols: requiredSubprotocol.map { [$0] } ?? [],
            extensions: extensions, extraHeaders: extraHeaders)
    }
}
