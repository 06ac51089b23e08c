/// A timer a server session asks its host to run, by name (one of each name at a time).
public struct ServerTimer: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// What a server session asks its host (a simulated link, a NIO channel) to do.
public enum ServerAction: Sendable, Hashable {
    case write([UInt8])
    /// Flush what was written, then close the connection; the host reports `transportEnded()` afterwards.
    case closeTransport
    /// Drop the connection at once (TCP RST), unsent bytes and all; the host reports `transportEnded()`.
    case resetTransport
    /// Start (or restart) a timer; the host calls `timerFired(_:)` when it expires.
    case startTimer(ServerTimer, after: Duration)
    case cancelTimer(ServerTimer)
}

/// The server's side of one connection, sans-IO: its host feeds it bytes, timer expiries and the end of
/// the transport, and carries out the actions it returns. The same session runs over the simulated
/// network and over real TCP.
public protocol ServerSession: AnyObject {
    func receive(_ bytes: [UInt8]) -> [ServerAction]
    func timerFired(_ timer: ServerTimer) -> [ServerAction]
    func transportEnded() -> [ServerAction]
}
