import Foundation

/// Where the command's words go: results to standard output, progress and errors to standard error.
enum Console {
    private static let lock = NSLock()

    static func out(_ line: String) {
        lock.withLock { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    }

    static func error(_ line: String) {
        lock.withLock { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    /// Rewrites the current line of standard error (a terminal's progress line).
    static func status(_ line: String) {
        lock.withLock { FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8)) }
    }

    static var errorIsTerminal: Bool { isatty(FileHandle.standardError.fileDescriptor) == 1 }
}
