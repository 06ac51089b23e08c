import Foundation
import WebSocketCore

/// Reads the byte-exact vectors under the package's top-level `Fixtures/` folder.
enum Fixtures {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent(path))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureError.notAnObject(path)
        }
        return object
    }

    enum FixtureError: Error {
        case notAnObject(String)
        case badHex(String)
    }
}

func bytes(hex: String) throws -> [UInt8] {
    let digits = Array(hex.utf8)
    guard digits.count % 2 == 0 else { throw Fixtures.FixtureError.badHex(hex) }
    return try stride(from: 0, to: digits.count, by: 2).map { index in
        guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
            throw Fixtures.FixtureError.badHex(hex)
        }
        return byte
    }
}

/// `count` bytes where byte i is i mod 256: the fill for payloads the RFC leaves unspecified.
func patternPayload(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0) } }

/// Splits `bytes` at the given cut points.
func split(_ bytes: [UInt8], at cuts: [Int]) -> [[UInt8]] {
    var pieces: [[UInt8]] = []
    var start = 0
    for cut in cuts.sorted() where cut > start && cut < bytes.count {
        pieces.append(Array(bytes[start..<cut]))
        start = cut
    }
    pieces.append(Array(bytes[start...]))
    return pieces
}

/// Parses a whole stream fed in the given pieces, returning every frame.
func parseFrames(_ pieces: [[UInt8]], _ configuration: FrameParser.Configuration) throws -> [ParsedFrame] {
    var parser = FrameParser(configuration)
    var frames: [ParsedFrame] = []
    for piece in pieces {
        parser.append(piece)
        while let frame = try parser.nextFrame() { frames.append(frame) }
    }
    return frames
}
