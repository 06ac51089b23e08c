import ConformanceReport
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

    /// Text that can do nothing to a terminal or a CI log, by the GitHub Actions runner's own rules
    /// (actions/runner `ActionCommand.TryParseV2` and `TryParse`; docs/decisions.md):
    /// - every control character but LF and tab (a CR would start a new line for the runner; an escape sequence
    ///   could rewrite the terminal), the line and paragraph separators, and the invisible and bidirectional
    ///   formatting characters are shown as `\u{…}`;
    /// - a line whose first character after white space (the runner trims .NET's whole `char.IsWhiteSpace` set,
    ///   no-break spaces included) is `:` gets a backslash before it, so it cannot be a `::command::`;
    /// - `##[`, which the runner honours anywhere on a line, becomes `##\[`.
    /// LF stays a line break (our own messages span lines), and each line is made safe on its own.
    static func inert(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var out = PeerText.visible(String(line), except: ["\t"])
            let indent = out.unicodeScalars.prefix { isRunnerWhiteSpace($0) }
            if out.unicodeScalars.dropFirst(indent.count).first == ":" {
                out = String(String.UnicodeScalarView(indent)) + "\\" + String(String.UnicodeScalarView(out.unicodeScalars.dropFirst(indent.count)))
            }
            return defuseLegacyCommands(out)
        }.joined(separator: "\n")
    }

    /// `##[` becomes `##\[` wherever it is (compared scalar by scalar: a combining mark after the bracket must not
    /// hide it from the replacement while the runner, comparing code units, still sees it).
    static func defuseLegacyCommands(_ line: String) -> String {
        var out = String.UnicodeScalarView()
        var hashes = 0
        for scalar in line.unicodeScalars {
            if scalar == "[" && hashes >= 2 { out.append("\\") }
            hashes = scalar == "#" ? hashes + 1 : 0
            out.append(scalar)
        }
        return String(out)
    }

    /// .NET's `char.IsWhiteSpace` (Unicode White_Space): what the runner's `TrimStart()` removes before `::`.
    static func isRunnerWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}
