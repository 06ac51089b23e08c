/// The opening request a client sends (RFC 6455 §4.1). Every header can be left out, duplicated or
/// replaced, so negative tests can send exactly the broken request they mean to.
public struct ClientHandshakeRequest: Sendable, Hashable {
    /// A deliberate change to the standard header set, applied in order after it is built.
    public enum HeaderOverride: Sendable, Hashable {
        /// Leave every field of this name out.
        case omit(String)
        /// Replace the field's value (adding it when absent).
        case set(String, String)
        /// Add one more field, even when one of that name exists.
        case add(String, String)
        /// Repeat every field of this name once more.
        case duplicate(String)
    }

    public var method = "GET"
    public var target: String
    public var httpVersion = "HTTP/1.1"
    public var host: String
    public var key: String
    public var version = "13"
    public var origin: String?
    public var subprotocols: [String]
    public var extensions: [ExtensionOffer]
    public var extraHeaders: HTTPHeaders
    public var overrides: [HeaderOverride]

    /// - Parameters:
    ///   - target: the request target, e.g. `/chat?room=1`.
    ///   - host: the `Host` value (`host[:port]`).
    ///   - nonce: 16 bytes from the caller's random (or seeded) source.
    public init(
        target: String, host: String, nonce: [UInt8], origin: String? = nil,
        subprotocols: [String] = [], extensions: [ExtensionOffer] = [],
        extraHeaders: HTTPHeaders = HTTPHeaders(), overrides: [HeaderOverride] = []
    ) {
        self.target = target
        self.host = host
        self.key = HandshakeKey.key(nonce: nonce)
        self.origin = origin
        self.subprotocols = subprotocols
        self.extensions = extensions
        self.extraHeaders = extraHeaders
        self.overrides = overrides
    }

    /// The header fields as they will be sent, overrides applied.
    public var headers: HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        headers.add(name: "Upgrade", value: "websocket")
        headers.add(name: "Connection", value: "Upgrade")
        headers.add(name: "Sec-WebSocket-Key", value: key)
        headers.add(name: "Sec-WebSocket-Version", value: version)
        if let origin { headers.add(name: "Origin", value: origin) }
        if !subprotocols.isEmpty { headers.add(name: "Sec-WebSocket-Protocol", value: subprotocols.joined(separator: ", ")) }
        if !extensions.isEmpty {
            headers.add(name: "Sec-WebSocket-Extensions", value: extensions.map(\.description).joined(separator: ", "))
        }
        for field in extraHeaders { headers.add(name: field.name, value: field.value) }
        for override in overrides {
            switch override {
            case .omit(let name): headers.remove(name: name)
            case .set(let name, let value): headers.replaceOrAdd(name: name, value: value)
            case .add(let name, let value): headers.add(name: name, value: value)
            case .duplicate(let name):
                for value in headers[name] { headers.add(name: name, value: value) }
            }
        }
        return headers
    }

    public var head: HTTPRequestHead {
        HTTPRequestHead(method: method, target: target, version: httpVersion, headers: headers)
    }

    /// The request's bytes.
    public func serialize() -> [UInt8] { HTTPSerializer.serialize(head) }

    /// The `Sec-WebSocket-Accept` value a correct server answers with.
    public var expectedAccept: String { HandshakeKey.accept(forKey: key) }
}

/// Writes HTTP heads as bytes.
public enum HTTPSerializer {
    public static func serialize(_ head: HTTPRequestHead) -> [UInt8] {
        serialize(startLine: "\(head.method) \(head.target) \(head.version)", head.headers, body: [])
    }

    public static func serialize(_ head: HTTPResponseHead, body: [UInt8] = []) -> [UInt8] {
        serialize(startLine: "\(head.version) \(head.status) \(head.reasonPhrase)", head.headers, body: body)
    }

    private static func serialize(startLine: String, _ headers: HTTPHeaders, body: [UInt8]) -> [UInt8] {
        var text = startLine + "\r\n"
        for field in headers { text += "\(field.name): \(field.value)\r\n" }
        text += "\r\n"
        return Array(text.utf8) + body
    }
}
