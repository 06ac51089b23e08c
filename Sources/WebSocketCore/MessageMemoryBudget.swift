import Synchronization

/// Memory for messages still arriving, shared by the connections of one server. Each connection's limit
/// (`Connection.Configuration.maxMessageLength`) bounds one message; this bounds them together, so that many
/// connections each holding a message in progress (16 MiB of zeros deflate to 16 KiB on the wire) cannot add up
/// to more than the server can hold. A message whose buffer would grow past it fails its connection with 1013
/// (Try Again Later); the others go on.
public final class MessageMemoryBudget: Sendable {
    public let limit: Int
    private let used = Atomic(0)

    public init(limit: Int) {
        self.limit = limit
    }

    /// Bytes held now by messages in progress.
    public var usedBytes: Int { used.load(ordering: .relaxed) }

    /// Bytes not held now (another connection may take them before a `reserve`).
    public var availableBytes: Int { limit - usedBytes }

    /// Takes `count` bytes if they fit; false leaves the budget as it was.
    public func reserve(_ count: Int) -> Bool {
        var current = used.load(ordering: .relaxed)
        while true {
            guard count <= limit - current else { return false }
            let (exchanged, original) = used.compareExchange(expected: current, desired: current + count, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }

    public func release(_ count: Int) {
        guard count > 0 else { return }
        used.subtract(count, ordering: .relaxed)
    }
}

extension MessageMemoryBudget: Hashable {
    /// One budget is one pool of memory: configurations are equal when they share it.
    public static func == (lhs: MessageMemoryBudget, rhs: MessageMemoryBudget) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
