/// How one direction of a simulated link treats the bytes written into it. Every random choice is drawn
/// from the simulation's seeded generator.
public struct LinkOptions: Sendable, Hashable {
    /// How a write is cut into the segments that arrive separately.
    public enum Segmentation: Sendable, Hashable {
        /// Each write arrives in one piece.
        case whole
        /// Pieces of at most N bytes.
        case fixed(Int)
        /// One byte at a time.
        case everyByte
        /// Pieces of a size drawn from the range.
        case random(ClosedRange<Int>)
    }

    /// One-way delay from the end of sending a segment to its arrival.
    public enum Latency: Sendable, Hashable {
        case fixed(Duration)
        case random(ClosedRange<Duration>)
    }

    /// Random stalls: a segment is held back for an extra delay, and everything behind it waits too.
    public struct Stalls: Sendable, Hashable {
        public var probability: Double
        public var duration: ClosedRange<Duration>
        public init(probability: Double, duration: ClosedRange<Duration>) {
            self.probability = probability
            self.duration = duration
        }
    }

    public var segmentation: Segmentation
    public var latency: Latency
    /// A bandwidth cap: a segment takes size / bytesPerSecond to send, and segments queue behind each other.
    public var bytesPerSecond: Int?
    public var stalls: Stalls?
    /// The connection is lost (both ends see a reset) once this many bytes have crossed in this direction.
    public var lossAfterBytes: Int?

    public init(
        segmentation: Segmentation = .whole, latency: Latency = .fixed(.zero), bytesPerSecond: Int? = nil,
        stalls: Stalls? = nil, lossAfterBytes: Int? = nil
    ) {
        self.segmentation = segmentation
        self.latency = latency
        self.bytesPerSecond = bytesPerSecond
        self.stalls = stalls
        self.lossAfterBytes = lossAfterBytes
    }

    /// Whole writes, no delay.
    public static let ideal = LinkOptions()
    /// One byte per segment, 1 ms apart in latency.
    public static let everyByte = LinkOptions(segmentation: .everyByte, latency: .fixed(.milliseconds(1)))
    /// Random segment sizes and latencies, and an occasional stall.
    public static let choppy = LinkOptions(
        segmentation: .random(1...64), latency: .random(.microseconds(50)...(.milliseconds(20))),
        stalls: Stalls(probability: 0.02, duration: .milliseconds(10)...(.milliseconds(200))))
}
