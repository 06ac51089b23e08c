import Testing
import WebSocketCore

@Suite("UTF-8 validator")
struct UTF8ValidatorTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let id: String
        let description: String
        let bytes: [UInt8]
        let expected: UTF8Validator.Outcome
        var testDescription: String { "\(id) \(description)" }
    }

    static func kuhnVectors() throws -> [Vector] {
        let root = try Fixtures.json("utf8/kuhn-stress-test.json")
        return try (root["vectors"] as! [[String: Any]]).map { entry in
            let offset = entry["offset"] as? Int ?? -1
            let expected: UTF8Validator.Outcome =
                switch entry["expect"] as! String {
                case "valid": .valid
                case "incomplete": .incomplete(sequenceStart: offset)
                default: .invalid(offset: offset)
                }
            return Vector(
                id: entry["id"] as! String, description: entry["description"] as! String,
                bytes: try bytes(hex: entry["hex"] as! String), expected: expected)
        }
    }

    @Test("Kuhn's stress test, whole", arguments: try kuhnVectors())
    func whole(vector: Vector) {
        #expect(UTF8Validator.validate(vector.bytes) == vector.expected)
    }

    @Test("Kuhn's stress test, byte by byte", arguments: try kuhnVectors())
    func byteByByte(vector: Vector) {
        var validator = UTF8Validator()
        for byte in vector.bytes { validator.feed([byte]) }
        #expect(validator.finish() == vector.expected)
    }

    @Test func fixtureCoversAllOutcomes() throws {
        let outcomes = try Self.kuhnVectors().map(\.expected)
        #expect(outcomes.count >= 80)
        #expect(outcomes.contains(.valid))
        #expect(outcomes.contains { if case .incomplete = $0 { true } else { false } })
        #expect(outcomes.contains { if case .invalid = $0 { true } else { false } })
    }

    /// Long text reaches the 16-byte vector blocks; each vector sits at many offsets so that every lane
    /// position and block seam is exercised. Fed whole and in seeded random fragments.
    @Test("Kuhn's vectors inside long text, across block seams", arguments: try kuhnVectors())
    func insideLongText(vector: Vector) {
        let filler = Array("Grüße aus Łódź — 網路 ok; plain ASCII words here. 𝄞 ".utf8)
        var generator = SplitMix64(seed: UInt64(vector.bytes.count))
        for prefixLength in 0..<40 {
            var prefix: [UInt8] = []
            while prefix.count < 40 + prefixLength { prefix += filler }
            // Cut the prefix at a character boundary so it is valid on its own.
            var cut = 40 + prefixLength
            while cut < prefix.count, prefix[cut] & 0xC0 == 0x80 { cut += 1 }
            let text = Array(prefix[..<cut]) + vector.bytes + filler + filler
            let expected = Self.oracle(text)
            #expect(UTF8Validator.validate(text) == expected, "prefix \(cut)")
            var validator = UTF8Validator()
            for piece in split(text, at: (0..<4).map { _ in Int.random(in: 1..<text.count, using: &generator) }) {
                validator.feed(piece)
            }
            #expect(validator.finish() == expected, "prefix \(cut), fragmented")
        }
    }

    @Test func everySingleBadByteInLongTextIsFoundExactly() {
        let text = Array(String(repeating: "Größe 網路 𝄞 ascii ", count: 6).utf8)
        for position in text.indices {
            for bad: UInt8 in [0x80, 0xC0, 0xED, 0xF5, 0xFF] {
                var broken = text
                broken[position] = bad
                #expect(UTF8Validator.validate(broken) == Self.oracle(broken), "0x\(String(bad, radix: 16)) at \(position)")
            }
        }
    }

    @Test func failsFastAtTheFirstImpossibleByte() {
        var validator = UTF8Validator()
        let text = Array("κόσμε".utf8)
        let afterText = validator.feed(text)
        let afterLead = validator.feed([0xED]) // could still be U+D000..U+D7FF
        let afterSurrogate = validator.feed([0xA0, 0x80, 0x41]) // A0 makes it a surrogate
        #expect(afterText && afterLead && !afterSurrogate)
        #expect(validator.invalidOffset == text.count + 1)
        let afterMore = validator.feed(Array("more".utf8))
        #expect(!afterMore) // stays invalid
        #expect(validator.finish() == .invalid(offset: text.count + 1))
    }

    @Test func asciiFastPathReportsTheRightOffset() {
        for position in [0, 7, 8, 31, 32, 33, 63, 64, 100] {
            var text = [UInt8](repeating: 0x61, count: 128)
            text[position] = 0xFF
            #expect(UTF8Validator.validate(text) == .invalid(offset: position))
        }
    }

    /// Independent oracle: the standard library's decoder, and a prefix counts as completable when one
    /// of a few continuations (one per continuation-byte range) makes it decode.
    static func oracle(_ bytes: [UInt8]) -> UTF8Validator.Outcome {
        func decodes(_ b: [UInt8]) -> Bool { String(validating: b, as: UTF8.self) != nil }
        func completable(_ prefix: [UInt8]) -> Bool {
            if decodes(prefix) { return true }
            let tails: [[UInt8]] = [[0x80], [0x90], [0xA0]]
            var frontier: [[UInt8]] = [prefix]
            for _ in 0..<3 {
                frontier = frontier.flatMap { p in tails.map { p + $0 } }
                if frontier.contains(where: decodes) { return true }
            }
            return false
        }
        // Everything before `settled` decodes on its own, so only the bytes since then can be open.
        var settled = 0
        for index in bytes.indices {
            let pending = Array(bytes[settled...index])
            if !completable(pending) { return .invalid(offset: index) }
            if decodes(pending) { settled = index + 1 }
        }
        return settled == bytes.count ? .valid : .incomplete(sequenceStart: settled)
    }

    @Test("agrees with the standard library on seeded random text", arguments: 0..<20)
    func agreesWithStandardLibrary(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        // Mostly valid text with a few random bytes, so failures land at varied depths.
        let alphabet: [[UInt8]] = ["a", "ß", "€", "𝄞", "κ", " "].map { Array($0.utf8) }
        for _ in 0..<200 {
            var text: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                if Int.random(in: 0..<6, using: &generator) == 0 {
                    text.append(UInt8.random(in: .min ... .max, using: &generator))
                } else {
                    text += alphabet.randomElement(using: &generator)!
                }
            }
            #expect(UTF8Validator.validate(text) == Self.oracle(text), "\(text)")
        }
    }
}
