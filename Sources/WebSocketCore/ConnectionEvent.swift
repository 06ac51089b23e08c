/// What the peer did, as a `Connection` tells its caller after being fed bytes, a command or a timer expiry; what
/// the caller must do in turn comes apart, as `HostOrder`s.
public enum ConnectionEvent: Sendable, Hashable {
    case text(String)
    case binary([UInt8])
    /// A ping arrived (a pong has already been queued when auto-pong is on).
    case ping([UInt8])
    case pong([UInt8])
    /// The peer's close frame arrived (`code` is nil when it carried none).
    case closeReceived(ClosePayload)
    /// The peer's close frame arrived with a payload RFC 6455 forbids (one byte, a code that may not be sent,
    /// a reason that is not UTF-8), as it came; `failed` follows.
    case invalidCloseReceived([UInt8])
    /// The connection is over: after a completed closing handshake, a lost transport or a close timeout.
    case closed(ConnectionClosure)
    /// The peer broke a rule; the connection has been failed with `violation.closeCode` (RFC 6455 §7.1.7).
    case failed(ProtocolViolation)
}

/// What the host of a connection must do, apart from what the peer did (`ConnectionEvent`): the connection keeps
/// no time and owns no transport, so it asks (`Connection.takeOrders()`), as python-websockets keeps
/// `close_expected` apart from the events it received.
public enum HostOrder: Sendable, Hashable {
    /// A close frame has been sent and the peer's answer is awaited: start a close timer now and call
    /// `closeTimerExpired()` if it fires.
    case startCloseTimer
    /// Close the transport (TCP) now, once the queued bytes are written.
    case closeTransport
}

/// How a connection ended.
public struct ConnectionClosure: Sendable, Hashable, CustomStringConvertible {
    /// Both close frames were exchanged before the transport ended.
    public var wasClean: Bool
    /// The code that describes the end: the peer's close code, 1005 when its close frame had none,
    /// 1006 when no close frame arrived.
    public var code: CloseCode
    public var reason: String
    /// Which side sent the first close frame (`nil` when no close frame was exchanged).
    public var initiatedBy: Role?
    /// The close frame this side sent, if any: `code` and `reason` are the peer's, so a server that closed
    /// with its own reason finds it here.
    public var sent: ClosePayload?

    public init(wasClean: Bool, code: CloseCode, reason: String = "", initiatedBy: Role?, sent: ClosePayload? = nil) {
        self.wasClean = wasClean
        self.code = code
        self.reason = reason
        self.initiatedBy = initiatedBy
        self.sent = sent
    }

    public var description: String {
        "\(wasClean ? "clean" : "unclean") close, code \(code)\(reason.isEmpty ? "" : " \"\(reason)\"")"
    }
}
