/// One word of a scenario file line: a bare word, a quoted string (escapes decoded) or a `0x…` hex blob.
struct ScenarioToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case word, string }
    var kind: Kind
    var text: String
    /// The bytes of a string token, exactly (a `\xHH` escape may make them invalid UTF-8 on purpose).
    var bytes: [UInt8]
    var column: Int
}

/// Splits a line into tokens. `#` starts a comment outside quotes.
enum ScenarioFileTokenizer {
    static func tokens(_ line: Substring, lineNumber: Int, file: String) throws(ScenarioFileError) -> [ScenarioToken] {
        let scalars = Array(line.unicodeScalars)
        var tokens: [ScenarioToken] = []
        var index = 0
        func error(_ message: String, at column: Int) -> ScenarioFileError {
            ScenarioFileError(file: file, line: lineNumber, column: column + 1, message: message)
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == " " || scalar == "\t" {
                index += 1
            } else if scalar == "#" {
                break
            } else if scalar == "\"" {
                let start = index
                var bytes: [UInt8] = []
                index += 1
                var closed = false
                while index < scalars.count {
                    let current = scalars[index]
                    if current == "\"" {
                        closed = true
                        index += 1
                        break
                    }
                    if current == "\\" {
                        guard index + 1 < scalars.count else { throw error("a backslash ends the line", at: index) }
                        let escaped = scalars[index + 1]
                        switch escaped {
                        case "n": bytes.append(0x0A)
                        case "t": bytes.append(0x09)
                        case "\"", "\\": bytes.append(UInt8(escaped.value))
                        case "x":
                            guard index + 3 < scalars.count,
                                let byte = UInt8(String(String.UnicodeScalarView(scalars[(index + 2)...(index + 3)])), radix: 16)
                            else { throw error("\\x needs two hex digits", at: index) }
                            bytes.append(byte)
                            index += 2
                        default: throw error("unknown escape \\\(escaped)", at: index)
                        }
                        index += 2
                        continue
                    }
                    bytes += Array(String(current).utf8)
                    index += 1
                }
                guard closed else { throw error("unterminated string", at: start) }
                tokens.append(ScenarioToken(kind: .string, text: String(decoding: bytes, as: UTF8.self), bytes: bytes, column: start + 1))
            } else {
                let start = index
                while index < scalars.count, scalars[index] != " ", scalars[index] != "\t", scalars[index] != "#" {
                    // `name="text with spaces"`: a quote inside a word runs to the closing quote.
                    if scalars[index] == "\"" {
                        guard let close = scalars[(index + 1)...].firstIndex(of: "\"") else { throw error("unterminated string", at: index) }
                        index = close
                    }
                    index += 1
                }
                let text = String(String.UnicodeScalarView(scalars[start..<index]))
                tokens.append(ScenarioToken(kind: .word, text: text, bytes: Array(text.utf8), column: start + 1))
            }
        }
        return tokens
    }
}
