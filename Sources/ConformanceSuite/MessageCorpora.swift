import Scenario

/// The data the load sections send, made here from fixed seeds so that every run sends the same bytes and
/// nothing is downloaded. Each stands for one kind of Autobahn|Testsuite test file (which wsspec does not
/// ship): JSON, a greyscale bitmap, prose, HTML, and a document that is mostly already compressed.
enum MessageCorpora {
    static let json = MessageCorpus(name: "JSON records (text, 192 KiB)", bytes: makeJSON(size: 192 << 10))
    static let bitmap = MessageCorpus(name: "Bitmap 512×512, 8-bit grey (binary, 257 KiB)", bytes: makeBitmap())
    static let prose = MessageCorpus(name: "Prose (sent as binary, 216 KiB)", bytes: makeProse(size: 216 << 10))
    static let html = MessageCorpus(name: "HTML page (text, 82 KiB)", bytes: makeHTML(size: 82 << 10))
    static let document = MessageCorpus(name: "Document, mostly compressed streams (binary, 1 MiB)", bytes: makeDocument(size: 1 << 20))
    /// Autobahn|Testsuite's 9.x text filler and a binary counterpart, repeated to 64 KiB so that slicing a
    /// 16 MiB message takes 256 copies rather than millions.
    static let limitsText = MessageCorpus(
        name: "repeated ASCII pattern",
        bytes: Array(repeating: Array("BAsd7&jh23".utf8), count: 6_554).flatMap { $0 })
    static let limitsBinary = MessageCorpus(name: "repeated byte 0xFE", bytes: [UInt8](repeating: 0xFE, count: 64 << 10))

    /// A deterministic generator (SplitMix64) for the corpora.
    private struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    private static let words = [
        "the", "of", "and", "frame", "message", "server", "client", "window", "context", "night", "study", "spirit",
        "world", "heaven", "earth", "knowledge", "light", "shadow", "voice", "answer", "question", "morning", "song",
        "river", "mountain", "letter", "word", "deed", "power", "beginning", "sleep", "dream", "wander", "listen"
    ]

    private static func makeProse(size: Int) -> [UInt8] {
        var random = Generator(state: 1)
        var text = ""
        while text.utf8.count < size {
            var sentence = (0..<(6 + random.below(14))).map { _ in random.pick(words) }.joined(separator: " ")
            sentence = sentence.prefix(1).uppercased() + sentence.dropFirst() + random.pick([". ", ", ", "! ", "? ", ".\n\n"])
            text += sentence
        }
        return Array(text.utf8.prefix(size))
    }

    private static func makeJSON(size: Int) -> [UInt8] {
        var random = Generator(state: 2)
        var text = "["
        var id = 0
        while text.utf8.count < size - 200 {
            id += 1
            let tags = (0..<(1 + random.below(4))).map { _ in "\"\(random.pick(words))\"" }.joined(separator: ",")
            text +=
                "{\"id\":\(id),\"name\":\"\(random.pick(words)) \(random.pick(words))\",\"score\":\(random.below(100_000)),"
                + "\"active\":\(random.below(2) == 0),\"tags\":[\(tags)],\"ratio\":0.\(random.below(1_000_000))},"
        }
        text.removeLast()
        text += "]"
        return Array(text.utf8)
    }

    private static func makeHTML(size: Int) -> [UInt8] {
        var random = Generator(state: 3)
        var text = "<!DOCTYPE html>\n<html><head><title>wsspec corpus</title></head><body>\n"
        while text.utf8.count < size - 20 {
            let words = (0..<(8 + random.below(30))).map { _ in random.pick(Self.words) }.joined(separator: " ")
            text += random.pick([
                "<p class=\"text\">\(words)</p>\n",
                "<div id=\"d\(random.below(10_000))\"><a href=\"/\(random.pick(Self.words))\">\(words)</a></div>\n",
                "<ul><li>\(words)</li><li>\(random.pick(Self.words))</li></ul>\n",
                "<h2>\(words.prefix(30))</h2>\n"
            ])
        }
        return Array((text.utf8.prefix(size - 15) + Array("</body></html>\n".utf8)))
    }

    /// A bitmap file: a 54-byte header, a 256-entry grey palette, then 512 rows of smooth shapes with noise.
    private static func makeBitmap() -> [UInt8] {
        var random = Generator(state: 4)
        var bytes = Array("BM".utf8) + [UInt8](repeating: 0, count: 52)
        for level in 0..<256 { bytes += [UInt8(level), UInt8(level), UInt8(level), 0] }
        for y in 0..<512 {
            for x in 0..<512 {
                let dx = x - 256, dy = y - 256
                let shade = (dx * dx + dy * dy) / 520 + x / 8 + Int(random.below(7))
                bytes.append(UInt8(truncatingIfNeeded: shade))
            }
        }
        return bytes
    }

    /// Mostly incompressible streams (random bytes) between short readable parts, like a PDF's.
    private static func makeDocument(size: Int) -> [UInt8] {
        var random = Generator(state: 5)
        var bytes: [UInt8] = Array("%PDF-1.4\n".utf8)
        var object = 0
        while bytes.count < size {
            object += 1
            bytes += Array("\(object) 0 obj\n<< /Length \(4096) /Filter /FlateDecode >>\nstream\n".utf8)
            for _ in 0..<512 {
                let word = random.next()
                for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
            }
            bytes += Array("\nendstream\nendobj\n".utf8)
        }
        return Array(bytes.prefix(size))
    }
}
