/// RFC 8441: a WebSocket opened by an extended CONNECT on one stream of an HTTP/2 connection. Only the opening
/// handshake differs from RFC 6455: the request is `:method CONNECT` with `:protocol websocket`, the key and the
/// accept are gone (RFC 8441 §5: the pseudo-header supersedes them), and a 2xx accepts. Everything after it is RFC
/// 6455 framing, masking included, carried in DATA frames.
///
/// This maps between the header lists of HTTP/2 and the HTTP/1.1 heads the rest of wsspec judges, in both roles, so
/// that one place decides what an opening asks for (`ServerHandshake`) and what an answer grants
/// (`ClientHandshakeValidator.negotiated`), however the WebSocket was opened.
public enum ExtendedConnect {
    public typealias Field = (name: String, value: String)

    /// HTTP/1.1 fields with no place on an HTTP/2 stream: connection-specific ones (RFC 9113 §8.2.2), `Host` (the
    /// `:authority` pseudo-header carries it), and the upgrade's own, which `:protocol` supersedes (RFC 8441 §5).
    static let http1Only: Set<String> = [
        "host", "upgrade", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
        "sec-websocket-key", "sec-websocket-accept"
    ]

    /// The key the server's handshake reads in a request that came as an extended CONNECT: RFC 6455's sample nonce.
    /// The stream proves what the key proved over HTTP/1.1, so any well-formed key will do, and its Accept is dropped.
    static let standInKey = "dGhlIHNhbXBsZSBub25jZQ=="

    // MARK: The client

    /// The header list of the extended CONNECT that opens the WebSocket `request` describes (RFC 8441 §4): the
    /// pseudo-header fields first, then the request's own fields in lower case (RFC 9113 §8.2), overrides applied,
    /// without the HTTP/1.1-only ones.
    public static func requestFields(for request: ClientHandshakeRequest, scheme: String) -> [Field] {
        var fields: [Field] = [
            (":method", "CONNECT"), (":protocol", "websocket"), (":scheme", scheme), (":path", request.target),
            (":authority", request.host)
        ]
        for field in request.headers where !http1Only.contains(field.name.lowercased()) {
            fields.append((field.name.lowercased(), field.value))
        }
        return fields
    }

    /// The HTTP/2 response head as the response head the client judges: `:status` as its status, the regular fields
    /// as its headers.
    public static func responseHead(fromFields fields: [Field]) throws(HTTPParseError) -> HTTPResponseHead {
        let statuses = fields.filter { $0.name == ":status" }
        guard statuses.count == 1, let text = statuses.first?.value, text.utf8.count == 3,
            let status = Int(text), (100...599).contains(status)
        else {
            throw .invalidStatusCode(statuses.map(\.value).joined(separator: ", "))
        }
        var headers = HTTPHeaders()
        for field in fields where !field.name.hasPrefix(":") { headers.add(name: field.name, value: field.value) }
        return HTTPResponseHead(version: "HTTP/2", status: status, reasonPhrase: "", headers: headers)
    }

    /// Whether the answer accepts the WebSocket, and on what terms (RFC 8441 §5 with RFC 9110 §9.3.6: a 2xx
    /// response to the CONNECT opens the tunnel).
    public static func validate(_ response: HTTPResponseHead, for request: ClientHandshakeRequest)
        throws(HandshakeResponseFailure) -> NegotiatedHandshake
    {
        guard (200..<300).contains(response.status) else { throw .notSuccessful(status: response.status) }
        return try ClientHandshakeValidator.negotiated(response.headers, for: request)
    }

    /// How the answer reads in a report: the header list, one field a line, as an HTTP/2 tool shows it.
    public static func text(of fields: [Field]) -> String {
        fields.map { "\($0.name): \($0.value)\r\n" }.joined()
    }

    // MARK: The server

    /// Why a request that came on an HTTP/2 stream cannot be read as a request at all (RFC 9113 §8.1.1: a
    /// malformed request is a stream error of type PROTOCOL_ERROR).
    public struct MalformedRequest: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// A request that came on an HTTP/2 stream, as the HTTP/1.1 request head the server's handshake judges. An
    /// extended CONNECT reads as the upgrade request it stands for (`Upgrade` naming its `:protocol`, a stand-in
    /// key); any other request reads as itself, so the handshake refuses it as it refuses one over HTTP/1.1.
    public static func upgradeRequest(fromFields fields: [Field]) throws(MalformedRequest) -> HTTPRequestHead {
        func pseudo(_ name: String) throws(MalformedRequest) -> String? {
            let values = fields.filter { $0.name == name }
            guard values.count <= 1 else { throw MalformedRequest(description: "\(name) appears \(values.count) times") }
            return values.first?.value
        }
        for field in fields {
            // HPACK carries any octets; HTTP/1.1 heads cannot (RFC 9113 §8.2.1).
            guard !field.value.utf8.contains(where: { $0 == 0 || $0 == 0x0A || $0 == 0x0D }),
                !field.name.isEmpty, !field.name.utf8.contains(where: { $0 <= 0x20 || $0 == 0x3A && field.name.first != ":" })
            else {
                throw MalformedRequest(description: "the field \(field.name.debugDescription) is not a valid HTTP field")
            }
        }
        guard let method = try pseudo(":method") else { throw MalformedRequest(description: "no :method") }
        let authority = try pseudo(":authority")
        let protocolName = try pseudo(":protocol")
        var headers = HTTPHeaders()
        if let authority { headers.add(name: "Host", value: authority) }
        let target: String
        if method == "CONNECT", let protocolName {
            // RFC 8441 §4: an extended CONNECT carries :scheme and :path, unlike a plain CONNECT.
            guard let path = try pseudo(":path"), try pseudo(":scheme") != nil, !path.isEmpty else {
                throw MalformedRequest(description: "an extended CONNECT lacks :scheme or :path")
            }
            target = path
            headers.add(name: "Upgrade", value: protocolName)
            headers.add(name: "Connection", value: "Upgrade")
            headers.add(name: "Sec-WebSocket-Key", value: standInKey)
        } else if method == "CONNECT" {
            guard let authority else { throw MalformedRequest(description: "a CONNECT lacks :authority") }
            target = authority
        } else {
            guard let path = try pseudo(":path"), !path.isEmpty else { throw MalformedRequest(description: "no :path") }
            target = path
        }
        for field in fields where !field.name.hasPrefix(":") && !http1Only.contains(field.name) {
            headers.add(name: field.name, value: field.value)
        }
        return HTTPRequestHead(method: protocolName == nil ? method : "GET", target: target, headers: headers)
    }

    /// The server's HTTP/1.1 answer as the `:status` and fields of the HTTP/2 response: a 101 that accepts the
    /// WebSocket is a 200 (RFC 8441 §5), and no HTTP/1.1-only field goes out (RFC 9113 §8.2.2).
    public static func responseFields(for response: HTTPResponseHead) -> [Field] {
        var fields: [Field] = [(":status", String(response.status == 101 ? 200 : response.status))]
        for field in response.headers where !http1Only.contains(field.name.lowercased()) {
            fields.append((field.name.lowercased(), field.value))
        }
        return fields
    }
}
