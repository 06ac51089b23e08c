import Foundation

/// Where the command's words go: results to standard output, progress and errors to standard error.
/// Everything goes out inert, since much of it quotes the peer (reason phrases, close reasons, headers).
enum Console {
    private static let lock = NSLock()

    static func out(_ line: String) {
        lock.withLock { FileHandle.standardOutput.write(Data((inert(line) + "\n").utf8)) }
    }

    static func error(_ line: String) {
        lock.withLock { FileHandle.standardError.write(Data((inert(line) + "\n").utf8)) }
    }

    /// Rewrites the current line of standard error (a terminal's progress line).
    static func status(_ line: String) {
        lock.withLock { FileHandle.standardError.write(Data(("\r\u{1B}[2K" + inert(line)).utf8)) }
    }

    static var errorIsTerminal: Bool { isatty(FileHandle.standardError.fileDescriptor) == 1 }

    /// Text that can do nothing to a terminal or a CI log: control characters other than line ends and tabs
    /// (an escape sequence could retitle or rewrite the terminal, a carriage return overwrite a line) are
    /// shown as `\u{1B}`, and a line that would start as a GitHub Actions workflow command (`::error::`) is
    /// escaped with a backslash.
    static func inert(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var out = ""
            for scalar in line.unicodeScalars {
                switch scalar.value {
                case 0x09: out.unicodeScalars.append(scalar)
                case 0x00...0x1F, 0x7F...0x9F: out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                default: out.unicodeScalars.append(scalar)
                }
            }
            let indent = out.prefix { $0 == " " || $0 == "\t" }
            if out.dropFirst(indent.count).hasPrefix("::") { out = indent + "\\" + out.dropFirst(indent.count) }
            return out
        }.joined(separator: "\n")
    }
}
