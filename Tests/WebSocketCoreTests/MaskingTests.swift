import Testing
import WebSocketCore

@Suite("Masking")
struct MaskingTests {
    /// The definition of §5.3, byte by byte: the reference the word-at-a-time loop must match.
    static func naive(_ key: MaskKey, phase: Int, _ bytes: [UInt8]) -> [UInt8] {
        bytes.enumerated().map { $0.element ^ key[($0.offset + phase) % 4] }
    }

    @Test("word loop equals the definition for every length, phase and alignment", arguments: 0..<4)
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
