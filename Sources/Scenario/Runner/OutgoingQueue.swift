/// What the script sends, on its way to the transport: consecutive sends batched into one write, the batch cut
/// into segments when a case asks, and the answers the script owes held until our stream is between frames.
/// It decides what leaves and when; `CaseExecution` writes it and waits where a segment delay says so.
struct OutgoingQueue {
    /// One write's worth of bytes and the pieces it leaves in.
    struct Batch {
        let bytes: [UInt8]
        let segmentSize: Int

        /// The segments, in order, as ranges of `bytes`.
        var segments: some Sequence<Range<Int>> {
            stride(from: 0, to: bytes.count, by: segmentSize).lazy.map { start in start..<min(bytes.count, start + segmentSize) }
        }

        /// The bytes of one segment (the batch itself, uncopied, when it leaves whole).
        func bytes(in segment: Range<Int>) -> [UInt8] {
            segment.count == bytes.count ? bytes : Array(bytes[segment])
        }
    }

    private var pending: [UInt8] = []
    private var segmentSize: Int?
    /// How long the script waits, reading, between two segments.
    private(set) var segmentDelay: Duration = .zero
    /// Where our outgoing stream stands once the opening request has left: replies wait for a frame boundary.
    private var frames: FrameBoundaryTracker?
    private var heldReply: [UInt8] = []

    var isEmpty: Bool { pending.isEmpty }

    /// Queues bytes the script sends; they leave with the next batch.
    mutating func enqueue(_ bytes: [UInt8]) {
        if pending.isEmpty { pending = bytes } else { pending += bytes }
    }

    /// Writes from now on leave in pieces of `size` bytes (`nil`: whole), `delay` apart.
    mutating func segment(size: Int?, delay: Duration) {
        segmentSize = size.map { max(1, $0) }
        segmentDelay = delay
    }

    /// Takes what is queued, as one batch.
    mutating func takeBatch() -> Batch? {
        guard !pending.isEmpty else { return nil }
        defer { pending = [] }
        return Batch(bytes: pending, segmentSize: segmentSize ?? pending.count)
    }

    /// From here on the stream is frames (the opening handshake is done): replies wait for their boundaries.
    mutating func startFraming() {
        if frames == nil { frames = FrameBoundaryTracker() }
    }

    /// `bytes` were written. Returns the reply held for a frame boundary once the stream reaches one.
    mutating func wrote(_ bytes: [UInt8]) -> [UInt8]? {
        guard frames != nil else { return nil }
        frames!.consume(bytes)
        guard frames!.atBoundary, !heldReply.isEmpty else { return nil }
        defer { heldReply = [] }
        return heldReply
    }

    /// An answer the script owes: returned when it may be written now, held when our stream is inside a frame.
    mutating func reply(_ bytes: [UInt8]) -> [UInt8]? {
        if frames?.atBoundary ?? true { return bytes }
        heldReply += bytes
        return nil
    }
}
