public import WebSocketCore

/// Echo round trips, the load the limits (9.x) and compression (12.x, 13.x) sections put on a server: send a
/// message, wait for its echo, compare it byte for byte, and again, `count` times. The echoes are checked as
/// they come and kept out of the case's log, so memory stays bounded whatever the count.
public struct RoundTrips: Sendable {
    public var opcode: Opcode
    public var messageSize: Int
    /// How many messages (Autobahn|Testsuite's count).
    public var count: Int
    /// Cut each message into frames of this many payload bytes (after compression); `nil`: one frame.
    public var fragmentSize: Int?
    /// End each fragmented message with an empty final continuation frame (the others then all have FIN
    /// clear), as Autobahn|Testsuite's fragmenter does when the fragment size divides the message.
    public var emptyFinalFragment = false
    /// Where the payloads come from: consecutive slices, wrapping around.
    public var corpus: MessageCorpus
    /// Compress the messages; the case is UNIMPLEMENTED when the server declined permessage-deflate.
    public var compressed: Bool
    /// Send fewer messages when `count × messageSize` passes the run's `roundTripBudget`.
    public var budgeted: Bool
    /// All the round trips must be done within this time.
    public var timeout: Duration

    public init(
        _ opcode: Opcode, size messageSize: Int, count: Int = 1, fragmentSize: Int? = nil,
        corpus: MessageCorpus, compressed: Bool = false, budgeted: Bool = false, timeout: Duration = .seconds(60)
    ) {
        self.opcode = opcode
        self.messageSize = messageSize
        self.count = count
        self.fragmentSize = fragmentSize
        self.corpus = corpus
        self.compressed = compressed
        self.budgeted = budgeted
        self.timeout = timeout
    }

    /// How many messages a run with this budget sends: never fewer than two, so that a shared LZ77 window
    /// is always used at least once.
    public func effectiveCount(budget: Int) -> Int {
        guard budgeted, messageSize > 0 else { return count }
        return min(count, max(2, budget / messageSize))
    }
}

/// Named test data for round trips. Text corpora are ASCII, so that any slice is valid UTF-8.
public struct MessageCorpus: Sendable {
    public let name: String
    public let bytes: [UInt8]

    public init(name: String, bytes: [UInt8]) {
        precondition(!bytes.isEmpty, "a corpus needs bytes")
        self.name = name
        self.bytes = bytes
    }

    /// `size` bytes starting at `offset`, wrapping around the end.
    func slice(from offset: Int, size: Int) -> [UInt8] {
        var slice: [UInt8] = []
        slice.reserveCapacity(size)
        var position = offset % bytes.count
        while slice.count < size {
            let take = min(size - slice.count, bytes.count - position)
            slice.append(contentsOf: bytes[position..<position + take])
            position = (position + take) % bytes.count
        }
        return slice
    }
}
