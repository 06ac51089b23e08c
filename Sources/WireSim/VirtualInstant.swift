/// A point in simulated time: nanoseconds since the simulation started.
public struct VirtualInstant: InstantProtocol, Sendable, Hashable, Comparable, CustomStringConvertible {
    public typealias Duration = Swift.Duration

    public let nanoseconds: UInt64

    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public static let zero = VirtualInstant(nanoseconds: 0)

    public func advanced(by duration: Duration) -> VirtualInstant { advanced(byNanoseconds: duration.nanoseconds) }

    /// `advanced(by:)` without `Duration`'s 128-bit arithmetic, for the link's per-segment timing.
    public func advanced(byNanoseconds delta: Int64) -> VirtualInstant {
        if delta < 0 { return VirtualInstant(nanoseconds: nanoseconds - min(nanoseconds, UInt64(-delta))) }
        let (sum, overflow) = nanoseconds.addingReportingOverflow(UInt64(delta))
        return VirtualInstant(nanoseconds: overflow ? .max : sum)
    }

    public func duration(to other: VirtualInstant) -> Duration {
        other.nanoseconds >= nanoseconds
            ? .nanoseconds(Int64(clamping: other.nanoseconds - nanoseconds))
            : .nanoseconds(-Int64(clamping: nanoseconds - other.nanoseconds))
    }

    public static func < (lhs: VirtualInstant, rhs: VirtualInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Seconds with nine decimals, e.g. `30.000000125`: the trace's time format.
    public var description: String {
        let seconds = nanoseconds / 1_000_000_000
        let fraction = String(nanoseconds % 1_000_000_000)
        return "\(seconds)." + String(repeating: "0", count: 9 - fraction.count) + fraction
    }
}

extension Duration {
    /// Whole nanoseconds, saturating (a simulation never needs more than 292 years).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflowed) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, sumOverflowed) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflowed || sumOverflowed { return seconds < 0 ? .min : .max }
        return sum
    }
}
