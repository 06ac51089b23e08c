/// The request line and headers of an HTTP/1.1 request.
public struct HTTPRequestHead: Sendable, Hashable {
    public var method: String
    public var target: String
    public var version: String
    public var headers: HTTPHeaders

    public init(method: String, target: String, version: String = "HTTP/1.1", headers: HTTPHeaders) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }
}

/// The status line and headers of an HTTP/1.1 response.
public struct HTTPResponseHead: Sendable, Hashable {
    public var version: String
    public var status: Int
    public var reasonPhrase: String
    public var headers: HTTPHeaders

    public init(version: String = "HTTP/1.1", status: Int, reasonPhrase: String, headers: HTTPHeaders) {
        self.version = version
        self.status = status
        self.reasonPhrase = reasonPhrase
        self.headers = headers
    }

    /// The reason phrase to quote in a message: lines end only at CRLF, so a bare LF or CR (or any other control
    /// character) can sit inside a phrase, and is shown as `\u{A}` rather than starting a line of its own.
    public var shownReasonPhrase: String {
        var shown = ""
        for scalar in reasonPhrase.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" {
                shown += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }
}

/// Why a peer's HTTP head could not be read. Malformed input is always one of these, never a crash.
public enum HTTPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No blank line within the size limit.
    case headTooLarge(limit: Int)
    case malformedStartLine(String)
    case malformedHeaderLine(String)
    case invalidStatusCode(String)

    public var description: String {
        switch self {
        case .headTooLarge(let limit): "HTTP head is larger than \(limit) bytes"
        case .malformedStartLine(let line): "malformed HTTP start line: \(line.debugDescription)"
        case .malformedHeaderLine(let line): "malformed HTTP header line: \(line.debugDescription)"
        case .invalidStatusCode(let text): "invalid HTTP status code: \(text.debugDescription)"
        }
    }
}

/// Collects bytes until the blank line that ends an HTTP head, then parses it. Bytes after the head
/// (the first WebSocket frames, if the peer sent them early) are returned untouched.
public struct HTTPHeadParser: Sendable {
    public let maxHeadSize: Int
    private var buffer: [UInt8] = []
    private var searchFrom = 0

    public init(maxHeadSize: Int = 16 * 1024) { self.maxHeadSize = maxHeadSize }

    /// Adds bytes; returns the head's bytes and what followed it once the blank line has arrived.
    public mutating func append(_ bytes: [UInt8]) throws(HTTPParseError) -> (head: [UInt8], rest: [UInt8])? {
        buffer.append(contentsOf: bytes)
        let terminator: [UInt8] = [13, 10, 13, 10]
        var index = max(0, searchFrom - 3)
        while index + 4 <= buffer.count {
            if buffer[index] == 13, buffer[index + 1] == 10, buffer[index + 2] == 13, buffer[index + 3] == 10 {
                let end = index + terminator.count
                guard end <= maxHeadSize else { throw .headTooLarge(limit: maxHeadSize) }
                return (Array(buffer[..<end]), Array(buffer[end...]))
            }
            index += 1
        }
        searchFrom = buffer.count
        if buffer.count > maxHeadSize { throw .headTooLarge(limit: maxHeadSize) }
        return nil
    }

    public static func parseRequest(_ head: [UInt8]) throws(HTTPParseError) -> HTTPRequestHead {
        let (startLine, headers) = try splitHead(head)
        let parts = startLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, parts[2].hasPrefix("HTTP/") else {
            throw .malformedStartLine(startLine)
        }
        return HTTPRequestHead(
            method: String(parts[0]), target: String(parts[1]), version: String(parts[2]),
            headers: headers)
    }

    public static func parseResponse(_ head: [UInt8]) throws(HTTPParseError) -> HTTPResponseHead {
        let (startLine, headers) = try splitHead(head)
        let parts = startLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/") else { throw .malformedStartLine(startLine) }
        guard parts[1].count == 3, let status = Int(parts[1]), (100...999).contains(status) else {
            throw .invalidStatusCode(String(parts[1]))
        }
        return HTTPResponseHead(
            version: String(parts[0]), status: status,
            reasonPhrase: parts.count == 3 ? String(parts[2]) : "", headers: headers)
    }

    private static func splitHead(_ head: [UInt8]) throws(HTTPParseError) -> (String, HTTPHeaders) {
        // Bytes outside UTF-8 are replaced for display; the structure is ASCII, so nothing is lost for parsing.
        var lines = lines(ofHead: head)
        while lines.last == "" { lines.removeLast() }
        guard let startLine = lines.first, !startLine.isEmpty else { throw .malformedStartLine("") }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            // Obsolete line folding (a line starting with white space) is refused, as RFC 9112 §5.2 allows.
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                line.first != " ", line.first != "\t"
            else { throw .malformedHeaderLine(line) }
            let name = line[..<colon]
            guard name.unicodeScalars.allSatisfy(isTokenCharacter) else { throw .malformedHeaderLine(line) }
            headers.add(name: String(name), value: line[line.index(after: colon)...].trimmingHTTPWhitespace())
        }
        return (startLine, headers)
    }

    /// Whether `text` is an RFC 9110 token (a header name, a subprotocol): one `tchar` or more.
    public static func isToken(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy(isTokenCharacter)
    }

    /// RFC 9110 `tchar`.
    static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        case "!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`", "|", "~": true
        default: false
        }
    }
}

/// The lines of a head, split at each CRLF (a lone CR stays in its line), each decoded as UTF-8 with
/// repair: CR and LF never occur inside a multi-byte character, so splitting bytes first loses nothing,
/// and it is far cheaper than splitting decoded text.
private func lines(ofHead head: [UInt8]) -> [String] {
    var lines: [String] = []
    var start = 0
    var index = 0
    while index + 1 < head.count {
        if head[index] == 13, head[index + 1] == 10 {
            lines.append(String(decoding: head[start..<index], as: UTF8.self))
            index += 2
            start = index
        } else {
            index += 1
        }
    }
    lines.append(String(decoding: head[start...], as: UTF8.self))
    return lines
}
