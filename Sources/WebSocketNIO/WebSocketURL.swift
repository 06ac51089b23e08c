import Foundation

/// A `ws://` or `wss://` URL, checked: where to connect and what to ask for.
public struct WebSocketURL: Sendable, Hashable, CustomStringConvertible {
    public var secure: Bool
    /// The host as written, without IPv6 brackets.
    public var host: String
    public var port: Int
    /// The request target: path and query, at least `/`.
    public var target: String

    /// Why a URL was refused, in words a user can act on.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var url: String
        public var reason: String
        public var description: String { "invalid URL \(url.debugDescription): \(reason)" }
    }

    public init(parsing text: String) throws(ParseError) {
        func refuse(_ reason: String) -> ParseError { ParseError(url: text, reason: reason) }
        guard let schemeEnd = text.range(of: "://") else {
            throw refuse("expected ws://HOST[:PORT][/PATH] or wss://…")
        }
        switch text[..<schemeEnd.lowerBound].lowercased() {
        case "ws": secure = false
        case "wss": secure = true
        case "http", "https": throw refuse("the scheme is http(s); a WebSocket URL starts with ws:// or wss://")
        case let other: throw refuse("unknown scheme \(other.debugDescription); expected ws or wss")
        }
        var rest = text[schemeEnd.upperBound...]
        if let fragment = rest.firstIndex(of: "#") {
            throw refuse("a WebSocket URL has no fragment (\(rest[fragment...].debugDescription))")
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        target = rest.isEmpty ? "/" : (rest.first == "?" ? "/" + rest : String(rest))
        guard !target.contains(where: { $0 == " " || $0.isNewline }) else { throw refuse("the path contains a space or a line break") }
        guard !authority.contains("@") else { throw refuse("user information (user@host) is not supported") }

        var hostPart = Substring(authority)
        var portText: Substring?
        if hostPart.first == "[" {
            guard let close = hostPart.firstIndex(of: "]") else { throw refuse("an IPv6 address lacks its closing ]") }
            let after = hostPart[hostPart.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw refuse("unexpected text after the IPv6 address") }
                portText = after.dropFirst()
            }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portText = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        guard !hostPart.isEmpty else { throw refuse("the host is missing") }
        guard hostPart.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._:%".contains($0)) }) else {
            throw refuse("the host \(String(hostPart).debugDescription) contains characters a host name cannot have")
        }
        host = String(hostPart)
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw refuse("the port \(String(portText).debugDescription) is not a number from 1 to 65535")
            }
            self.port = port
        } else {
            port = secure ? 443 : 80
        }
    }

    /// The `Host` header: the port is left out when it is the scheme's default (RFC 6455 §4.1).
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (secure ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// Whether the host is an IP address literal (no SNI is sent for those).
    public var hostIsAddressLiteral: Bool {
        host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
    }

    public var description: String { "\(secure ? "wss" : "ws")://\(hostHeader)\(target)" }
}
