import Testing
import WebSocketCore

@Suite("Masking")
struct MaskingTests {
    /// The definition of §5.3, byte by byte: the reference the vector loop must match.
    static func naive(_ key: MaskKey, phase: Int, _ bytes: [UInt8]) -> [UInt8] {
        bytes.enumerated().map { $0.element ^ key[($0.offset + phase) % 4] }
    }

    @Test("the loop equals the definition for every length, phase and alignment, in place", arguments: 0..<4)
    func matchesDefinition(phase: Int) {
        var generator = SplitMix64(seed: UInt64(phase))
        let key = MaskKey(bigEndian: UInt32.random(in: .min ... .max, using: &generator))
        let source = (0..<300).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        for offset in 0..<9 {
            for length in 0..<(source.count - offset) where length < 40 || length % 17 == 0 {
                let input = Array(source[offset..<(offset + length)])
                #expect(
                    Masking.applied(key, phase: phase, to: input) == Self.naive(key, phase: phase, input),
                    "offset \(offset) length \(length)")
            }
        }
    }

    /// Unmasking while copying (the parser's path) starts source and destination at different alignments.
    @Test("copying while masking equals the definition whatever the two alignments", arguments: 0..<4)
    func copyingMatchesDefinition(phase: Int) {
        var generator = SplitMix64(seed: 100 + UInt64(phase))
        let key = MaskKey(bigEndian: UInt32.random(in: .min ... .max, using: &generator))
        let source = (0..<400).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        var destination = [UInt8](repeating: 0xEE, count: 420)
        for sourceOffset in 0..<5 {
            for destinationOffset in 0..<17 {
                for length in [0, 1, 15, 16, 17, 63, 64, 65, 129, 300] {
                    destination.withUnsafeMutableBytes { to in
                        source.withUnsafeBytes { from in
                            Masking.apply(
                                key, phase: phase, from: from.baseAddress! + sourceOffset,
                                to: to.baseAddress! + destinationOffset, count: length)
                        }
                    }
                    let expected = Self.naive(key, phase: phase, Array(source[sourceOffset..<sourceOffset + length]))
                    #expect(Array(destination[destinationOffset..<destinationOffset + length]) == expected)
                    // Nothing past the end is written.
                    #expect(destination[destinationOffset + length] == 0xEE)
                    destination = [UInt8](repeating: 0xEE, count: 420)
                }
            }
        }
    }

    @Test func maskingTwiceRestoresThePayload() {
        let key = MaskKey(0x37, 0xFA, 0x21, 0x3D)
        let text = Array("Hello".utf8)
        #expect(Masking.applied(key, to: text) == [0x7F, 0x9F, 0x4D, 0x51, 0x58])
        #expect(Masking.applied(key, to: Masking.applied(key, to: text)) == text)
    }

    @Test func seededKeysAreReproducible() {
        var a = SeededMaskKeySource(seed: 7), b = SeededMaskKeySource(seed: 7), c = SeededMaskKeySource(seed: 8)
        let first = (0..<16).map { _ in a.nextMaskKey() }
        #expect(first == (0..<16).map { _ in b.nextMaskKey() })
        #expect(first != (0..<16).map { _ in c.nextMaskKey() })
    }
}
