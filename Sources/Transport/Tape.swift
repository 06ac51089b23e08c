public import WebSocketCore

/// Everything that crossed one transport, in the order its user saw it: each write with whether it went out, each
/// read's outcome (bytes, the peer's end, a reset, a deadline), and, over HTTP/2, the opening handshake's header lists
/// (they travel beside the byte stream). `PlaybackTransport` plays it back: what a failure capsule holds.
public struct Tape: Sendable {
    public enum Event: Sendable {
        /// Bytes the user wrote; `accepted` is false when the peer read nothing by the write's deadline.
        case write([UInt8], accepted: Bool)
        case read(TransportInput)
        /// The extended CONNECT's request header list (RFC 8441 §4).
        case requestFields([ExtendedConnect.Field])
        /// The first answer on the extended CONNECT's stream.
        case response(ExtendedConnectAnswer)
        /// The user ended its sending side (`ByteTransport.close`).
        case close
        /// The user tore the connection down (`ByteTransport.abort`).
        case abort
    }

    /// An event and when its call returned, on the transport's clock.
    public struct Entry: Sendable {
        public var at: Duration
        public var event: Event

        public init(at: Duration, event: Event) {
            self.at = at
            self.event = event
        }
    }

    /// The most bytes a tape keeps, both ways together. Past it writes and reads are still recorded, empty, and the
    /// tape is incomplete: a flood is not held in memory whole. The catalog's largest case (16 MiB each way) fits.
    public static let defaultByteLimit = 64 << 20

    public private(set) var entries: [Entry] = []
    /// Whether every byte is on the tape (false once `byteLimit` was reached).
    public private(set) var complete = true
    private var keptBytes = 0
    public let byteLimit: Int

    public init(byteLimit: Int = Tape.defaultByteLimit) { self.byteLimit = byteLimit }

    /// A tape read back from a capsule.
    public init(entries: [Entry], complete: Bool) {
        self.entries = entries
        self.complete = complete
        byteLimit = Int.max
    }

    /// Appends an event: O(1), the bytes kept by reference (no copy), up to the byte limit.
    public mutating func append(_ event: Event, at time: Duration) {
        var event = event
        switch event {
        case .write(let bytes, let accepted) where !keep(bytes.count): event = .write([], accepted: accepted)
        case .read(.bytes(let bytes)) where !keep(bytes.count): event = .read(.bytes([]))
        default: break
        }
        entries.append(Entry(at: time, event: event))
    }

    private mutating func keep(_ count: Int) -> Bool {
        guard complete, keptBytes + count <= byteLimit else {
            complete = false
            return false
        }
        keptBytes += count
        return true
    }
}
