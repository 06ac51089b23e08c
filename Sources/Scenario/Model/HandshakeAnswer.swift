/// How the script, in the server role, answers a client's opening request: the standard 101, or a broken answer
/// that RFC 6455 §4.1 obliges the client to reject (it must _Fail the WebSocket Connection_, sending nothing).
public enum HandshakeAnswer: Sendable, Hashable {
    case standard
    /// Another status line, with `Content-Length: 0`: a complete answer, so that a client does not read a body
    /// delimited by the end of the connection (RFC 9112 §6.3) and can act on it at once.
    case status(Int, String)
    /// A `Sec-WebSocket-Accept` that is not the one the key calls for.
    case wrongAccept
    /// The answer without this header.
    case without(String)
    /// The answer with this header added.
    case adding(String, String)

    /// The standard answer's bytes, changed as this says.
    public func applied(to response: [UInt8]) -> [UInt8] {
        guard self != .standard else { return response }
        var lines = String(decoding: response, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        func isHeader(_ line: String, _ name: String) -> Bool { line.lowercased().hasPrefix(name.lowercased() + ":") }
        switch self {
        case .standard:
            break
        case .status(let code, let reason):
            lines[0] = "HTTP/1.1 \(code) \(reason)"
            lines.removeAll { isHeader($0, "Content-Length") }
            lines.append("Content-Length: 0")
        case .wrongAccept:
            lines = lines.map { isHeader($0, "Sec-WebSocket-Accept") ? "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=" : $0 }
        case .without(let name):
            lines.removeAll { isHeader($0, name) }
        case .adding(let name, let value):
            lines.append("\(name): \(value)")
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    /// In plain words, for reasons.
    public var description: String {
        switch self {
        case .standard: "the standard 101"
        case .status(let code, _): "a \(code) answer"
        case .wrongAccept: "a 101 with a wrong Sec-WebSocket-Accept"
        case .without(let name): "a 101 without \(name)"
        case .adding(let name, let value): "a 101 with \(name): \(value), which it did not offer"
        }
    }
}
