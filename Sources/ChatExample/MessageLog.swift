import Synchronization

/// What the receive-only `/log` route has been told, in order.
public final class MessageLog: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    public func append(_ line: String) { lines.withLock { $0.append(line) } }
    public var all: [String] { lines.withLock { $0 } }
}
