/// A timer a server session asks its host to run, by name (one of each name at a time).
public struct ServerTimer: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// Fired by a host whose peer has been silent (nothing read, nothing written) for the host's idle timeout; a
    /// session with an open connection starts the closing handshake (1001), one still upgrading ignores it.
    public static let idle = ServerTimer(rawValue: "idle")
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
    /// Back-pressure: pass no more received bytes to the session until `resumeReading` (a TCP host stops
    /// reading the socket, so the peer's sending fills the window and waits).
    case pauseReading
    case resumeReading
}

/// The server's side of one connection, sans-IO: its host feeds it bytes, timer expiries and the end of
/// the transport, and carries out the actions it returns. The same session runs over the simulated
/// network and over real TCP.
///
/// A session whose work also happens outside those calls (application handlers running as tasks) uses
/// the host it is given in `attach(_:)`: it hands actions to `perform` and returns none itself, so that
/// every action reaches the wire in the order it was decided.
public protocol ServerSession: AnyObject {
    /// Called once by the host, before anything else.
    func attach(_ host: any ServerSessionHost)
    func receive(_ bytes: [UInt8]) -> [ServerAction]
    func timerFired(_ timer: ServerTimer) -> [ServerAction]
    func transportEnded() -> [ServerAction]
}

extension ServerSession {
    /// A session that only answers calls needs nothing from its host.
    public func attach(_ host: any ServerSessionHost) {}
}

/// What a host offers a session besides calling it: a way to act later, tasks and time in the host's
/// world (the simulation's executor and virtual clock, or the event loop, the global pool and real time).
public protocol ServerSessionHost: Sendable {
    /// Carries out actions in order, from any thread. It never calls back into the session before it
    /// returns, so a session may call it while holding its own lock.
    func perform(_ actions: [ServerAction])
    /// Runs `operation` as a task where the host runs its work.
    func startTask(_ operation: sending @escaping () async -> Void)
    /// Sleeps on the host's clock.
    func sleep(for duration: Duration) async throws
    /// Returns once what was written so far is no longer more than the host will queue for the peer (at
    /// once when it is not): a session's sends wait here, so that a peer that does not read stops them.
    func waitUntilWritable() async
    /// Memory for messages in progress that the host's connections share; a session puts it in the
    /// configuration of the connection it opens.
    var messageMemory: MessageMemoryBudget? { get }
}

/// Where a session's tasks run and whose clock they sleep on, offered by what a host runs on rather than chosen by
/// the host: an event loop that is a simulation's (`SimulatedNIO`) offers the simulation's executor and virtual
/// clock, so that the handlers of sessions hosted on a simulated NIO channel run as deterministically as the
/// channel under them. A host on any other event loop uses the global pool and real time.
public protocol SessionTaskContext: Sendable {
    func startTask(_ operation: sending @escaping () async -> Void)
    func sleep(for duration: Duration) async throws
}

extension ServerSessionHost {
    /// A host that queues without limit (the simulated network) never makes a send wait.
    public func waitUntilWritable() async {}
    /// Unless the host says otherwise, each connection's own limits are the only bound.
    public var messageMemory: MessageMemoryBudget? { nil }
}

extension Connection.Configuration {
    /// This configuration, with the host's shared message memory when it has one.
    public func sharing(_ messageMemory: MessageMemoryBudget?) -> Connection.Configuration {
        guard let messageMemory else { return self }
        var configuration = self
        configuration.messageMemory = messageMemory
        return configuration
    }
}

extension Connection {
    /// What a server session does on `ServerTimer.idle`: the closing handshake with 1001, when the connection
    /// is still open (a closing one has its own close timer).
    public func closeIdle() {
        guard state == .open else { return }
        try? close(code: .goingAway, reason: "idle")
    }
}
