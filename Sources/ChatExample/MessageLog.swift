import NIOConcurrencyHelpers

/// What the receive-only `/log` route has been told, in order.
public final class MessageLog: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])

    public init() {}

    public func append(_ line: String) { lines.withLockedValue { $0.append(line) } }
    public var all: [String] { lines.withLockedValue { $0 } }
}
