public import WebSocketCore

/// Limits and timeouts shared by every route of a router.
public struct ServerConfiguration: Sendable, Hashable {
    /// Frame and message size limits, auto-pong.
    public var connection = Connection.Configuration()
    /// How long to wait for the client's close frame, or for it to end the connection, after ours.
    public var closeTimeout: Duration = .seconds(5)
    /// How many payload bytes of received messages may wait for the handler before the server stops
    /// reading from the client (TCP back-pressure); reading resumes when half of it is free.
    public var maxQueuedBytes = 8 << 20
    /// The largest upgrade request head (431 beyond).
    public var maxHeadSize = 16 * 1024
    /// The reason sent with 1011 when a handler throws. Deliberately vague: an error's text may say more
    /// about the server than a client should learn.
    public var handlerFailureReason = "internal error"
    /// permessage-deflate (RFC 7692): `nil` (the default) declines every offer; a policy accepts the first
    /// valid one, and handlers then send and receive compressed messages without knowing it.
    public var permessageDeflate: PerMessageDeflatePolicy?

    public init() {}
}
