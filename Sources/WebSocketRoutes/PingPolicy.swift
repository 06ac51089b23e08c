public import WebSocketCore

/// Keepalive for a route: the server pings every `interval`; when no pong arrives within `timeout` of a
/// ping, it closes the connection with `closeCode` (1001, going away, by default).
public struct PingPolicy: Sendable, Hashable {
    public var interval: Duration
    public var timeout: Duration
    public var closeCode: CloseCode

    public init(interval: Duration, timeout: Duration? = nil, closeCode: CloseCode = .goingAway) {
        self.interval = interval
        self.timeout = timeout ?? interval
        self.closeCode = closeCode
    }

    /// Pings every `interval`, waiting at most `timeout` (the interval when nil) for each pong.
    public static func every(_ interval: Duration, timeout: Duration? = nil) -> PingPolicy {
        PingPolicy(interval: interval, timeout: timeout)
    }
}
