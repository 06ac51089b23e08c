/// The 32-bit masking key of a frame (RFC 6455 §5.3).
public struct MaskKey: Sendable, Hashable, CustomStringConvertible {
    public var bytes: (UInt8, UInt8, UInt8, UInt8)

    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) { bytes = (b0, b1, b2, b3) }

    /// The key whose wire bytes are the big-endian bytes of `value`.
    public init(bigEndian value: UInt32) {
        self.init(
            UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
            UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value))
    }

    /// A zero key masks nothing; a frame may still carry one.
    public static let zero = MaskKey(0, 0, 0, 0)

    public var array: [UInt8] { [bytes.0, bytes.1, bytes.2, bytes.3] }

    public subscript(index: Int) -> UInt8 {
        switch index & 3 {
        case 0: bytes.0
        case 1: bytes.1
        case 2: bytes.2
        default: bytes.3
        }
    }

    public static func == (lhs: MaskKey, rhs: MaskKey) -> Bool { lhs.array == rhs.array }
    public func hash(into hasher: inout Hasher) { hasher.combine(array) }

    public var description: String { array.map { hex2($0) }.joined() }
}

/// Where a client's mask keys come from. The core never draws randomness itself: a live client passes a
/// source backed by the system generator, a simulated one a seeded source, a test a fixed key.
public protocol MaskKeySource {
    mutating func nextMaskKey() -> MaskKey
}

/// Always the same key: for byte-exact vectors such as RFC 6455 §5.7.
public struct FixedMaskKeySource: MaskKeySource, Sendable {
    public let key: MaskKey
    public init(_ key: MaskKey) { self.key = key }
    public func nextMaskKey() -> MaskKey { key }
}

/// Keys drawn from SplitMix64 seeded by the caller: deterministic, so a seed reproduces every masked byte.
public struct SeededMaskKeySource: MaskKeySource, Sendable {
    private var generator: SplitMix64

    public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    public mutating func nextMaskKey() -> MaskKey {
        MaskKey(bigEndian: UInt32(truncatingIfNeeded: generator.next()))
    }
}

/// A source that wraps any `RandomNumberGenerator` the caller owns (e.g. the system generator in a live run).
public struct GeneratorMaskKeySource<Generator: RandomNumberGenerator>: MaskKeySource {
    private var generator: Generator
    public init(_ generator: Generator) { self.generator = generator }
    public mutating func nextMaskKey() -> MaskKey {
        MaskKey(bigEndian: UInt32.random(in: .min ... .max, using: &generator))
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and statistically good enough for mask keys and
/// test-data generation; not for anything secret.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@inline(__always)
func hex2(_ byte: UInt8) -> String {
    let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}
