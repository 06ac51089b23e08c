/// A server's keepalive, sans-IO and written once for every server: ping every `interval`, and give up on a
/// peer whose pong has not come within `timeout` of a ping. Any bytes from the peer are a sign of life: a
/// client busy sending a large message cannot answer a ping before its message ends, so the timeout runs
/// from the last bytes received. The host runs the two timers asked for and reports their expiry.
public struct Keepalive: Sendable, Hashable {
    public static let pingTimer = ServerTimer(rawValue: "ping")
    public static let pongTimer = ServerTimer(rawValue: "pong timeout")

    /// What the connection must do when a keepalive timer fires.
    public enum Command: Sendable, Hashable {
        case ping([UInt8])
        /// Give up on the peer: close with this code and reason.
        case close(CloseCode, reason: String)
    }

    public let interval: Duration
    public let timeout: Duration
    public let closeCode: CloseCode
    private var awaitingPong = false
    private var pingsSent = 0

    public init(interval: Duration, timeout: Duration, closeCode: CloseCode = .goingAway) {
        self.interval = interval
        self.timeout = timeout
        self.closeCode = closeCode
    }

    /// The connection opened: the ping clock starts.
    public func start() -> [ServerAction] { [.startTimer(Self.pingTimer, after: interval)] }

    /// Bytes arrived from the peer.
    public func peerIsAlive() -> [ServerAction] { awaitingPong ? [.startTimer(Self.pongTimer, after: timeout)] : [] }

    public mutating func pongReceived() -> [ServerAction] {
        guard awaitingPong else { return [] }
        awaitingPong = false
        return [.cancelTimer(Self.pongTimer)]
    }

    /// A timer fired: the timer actions and the command for the connection, or `nil` when the timer is not
    /// keepalive's (a late pong timer that a pong already answered gives no command).
    public mutating func fired(_ timer: ServerTimer) -> (actions: [ServerAction], command: Command?)? {
        switch timer {
        case Self.pingTimer:
            pingsSent += 1
            var actions: [ServerAction] = []
            if !awaitingPong {
                awaitingPong = true
                actions.append(.startTimer(Self.pongTimer, after: timeout))
            }
            actions.append(.startTimer(Self.pingTimer, after: interval))
            return (actions, .ping(Array("keepalive \(pingsSent)".utf8)))
        case Self.pongTimer:
            guard awaitingPong else { return ([], nil) }
            awaitingPong = false
            return ([.cancelTimer(Self.pingTimer)], .close(closeCode, reason: "no pong within \(timeout)"))
        default:
            return nil
        }
    }

    /// The connection is over: both timers stop.
    public func stop() -> [ServerAction] { [.cancelTimer(Self.pingTimer), .cancelTimer(Self.pongTimer)] }
}
