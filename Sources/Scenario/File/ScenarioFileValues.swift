import Foundation
import WebSocketCore

/// The values a scenario file's lines carry: bytes, close codes, durations, and the count of a line's arguments.
extension ScenarioFileParserState {
    /// A payload: one quoted string, or one `0x…` hex word.
    func data(_ tokens: [ScenarioToken], _ near: ScenarioToken) throws(ScenarioFileError) -> [UInt8] {
        guard tokens.count == 1 else { throw error("expected one payload: a \"string\" or 0xHEX", tokens.dropFirst().first ?? near) }
        let token = tokens[0]
        if token.kind == .string { return token.bytes }
        guard token.text.hasPrefix("0x") else { throw error("expected a \"string\" or 0xHEX payload", token) }
        let digits = Array(token.text.utf8.dropFirst(2))
        guard digits.count % 2 == 0 else { throw error("hex payload has an odd number of digits", token) }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                throw error("'\(token.text)' is not hex", token)
            }
            bytes.append(byte)
        }
        return bytes
    }

    func codes(_ tokens: [ScenarioToken], _ near: ScenarioToken) throws(ScenarioFileError) -> [UInt16] {
        guard !tokens.isEmpty else { throw error("expected at least one close code", near) }
        var result: [UInt16] = []
        for token in tokens { result.append(try closeCode(token)) }
        return result
    }

    func closeCode(_ token: ScenarioToken) throws(ScenarioFileError) -> UInt16 {
        guard token.kind == .word, let code = UInt16(token.text) else { throw error("'\(token.text)' is not a close code (0…65535)", token) }
        return code
    }

    /// The longest duration a file may give: a day. Longer waits are typos, and a case must end.
    static let longestDuration = Duration.seconds(86_400)

    /// `500ms`, `2s`, `30us`, at most a day.
    func duration(_ token: ScenarioToken) throws(ScenarioFileError) -> Duration {
        let text = token.text
        let units: [(suffix: String, nanoseconds: Int64)] = [("ms", 1_000_000), ("us", 1_000), ("s", 1_000_000_000)]
        for unit in units where text.hasSuffix(unit.suffix) {
            if let value = Int64(text.dropLast(unit.suffix.count)), value >= 0, value < Int64.max / unit.nanoseconds {
                let duration = Duration.nanoseconds(value * unit.nanoseconds)
                guard duration <= Self.longestDuration else { throw error("'\(text)' is longer than a day, the most a file may give", token) }
                return duration
            }
        }
        throw error("expected a duration such as 500ms or 2s, found '\(text)'", token)
    }

    func expectCount(_ arguments: [ScenarioToken], _ count: Int, _ keyword: ScenarioToken) throws(ScenarioFileError) {
        guard arguments.count == count else {
            throw error(
                "'\(keyword.text)' takes \(count) argument\(count == 1 ? "" : "s"), found \(arguments.count)",
                arguments.dropFirst(count).first ?? keyword)
        }
    }
}
