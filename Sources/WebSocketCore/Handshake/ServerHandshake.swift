/// The server's side of the opening handshake (RFC 6455 §4.2): validate a request, build the answer.
public struct ServerHandshake: Sendable {
    /// Subprotocols the server speaks, most preferred first.
    public var subprotocols: [String]
    /// permessage-deflate (RFC 7692): `nil` declines every offer; a policy accepts the first valid one.
    public var permessageDeflate: PerMessageDeflatePolicy?
    /// Chooses which other offered extensions to accept, with the parameters to answer with.
    public var acceptExtensions: @Sendable ([ExtensionOffer]) -> [ExtensionOffer]

    public init(
        subprotocols: [String] = [], permessageDeflate: PerMessageDeflatePolicy? = nil,
        acceptExtensions: @escaping @Sendable ([ExtensionOffer]) -> [ExtensionOffer] = { _ in [] }
    ) {
        self.subprotocols = subprotocols
        self.permessageDeflate = permessageDeflate
        self.acceptExtensions = acceptExtensions
    }

    /// The verdict on a request.
    public enum Decision: Sendable, Hashable {
        /// Upgrade: send `response`, then speak WebSocket.
        case accept(response: HTTPResponseHead, negotiated: NegotiatedHandshake)
        /// Refuse: send `response` (status 400 or 426) with a body naming `reason`, then close.
        case reject(response: HTTPResponseHead, reason: String)

        public var response: HTTPResponseHead {
            switch self {
            case .accept(let response, _), .reject(let response, _): response
            }
        }

        /// The bytes to send back.
        public var bytes: [UInt8] {
            switch self {
            case .accept(let response, _): HTTPSerializer.serialize(response)
            case .reject(let response, let reason): HTTPSerializer.serialize(response, body: Array(reason.utf8))
            }
        }
    }

    public func respond(to request: HTTPRequestHead) -> Decision {
        let headers = request.headers
        guard request.method == "GET" else { return reject(400, "the method must be GET, not \(request.method)") }
        guard request.version == "HTTP/1.1" else { return reject(400, "the HTTP version must be 1.1, not \(request.version)") }
        guard headers.single("Host") != nil else { return reject(400, "exactly one Host header is required") }
        guard headers.listContains("Upgrade", token: "websocket") else { return reject(400, "'Upgrade: websocket' is required") }
        guard headers.listContains("Connection", token: "upgrade") else { return reject(400, "'Connection: Upgrade' is required") }
        let versions = headers["Sec-WebSocket-Version"]
        guard !versions.isEmpty else { return reject(400, "Sec-WebSocket-Version is required", offerVersion: true) }
        guard versions == ["13"] else {
            return reject(426, "unsupported Sec-WebSocket-Version \(versions.joined(separator: ", "))", offerVersion: true)
        }
        guard let key = headers.single("Sec-WebSocket-Key"), HandshakeKey.isWellFormedKey(key) else {
            return reject(400, "a single Sec-WebSocket-Key of 16 base64-encoded bytes is required")
        }
        guard let offers = ExtensionOffer.parse(headers["Sec-WebSocket-Extensions"]) else {
            return reject(400, "malformed Sec-WebSocket-Extensions")
        }
        let offered = headers.listElements("Sec-WebSocket-Protocol")
        let chosen = subprotocols.first { offered.contains($0) }
        let deflate = permessageDeflate.flatMap { PerMessageDeflateAgreement.accept(offers, policy: $0) }
        let others = offers.filter { !$0.name.caseInsensitiveEquals(PerMessageDeflateParameters.extensionName) }
        let accepted = (deflate.map { [$0.response.element] } ?? []) + acceptExtensions(others)

        var responseHeaders = HTTPHeaders()
        responseHeaders.add(name: "Upgrade", value: "websocket")
        responseHeaders.add(name: "Connection", value: "Upgrade")
        responseHeaders.add(name: "Sec-WebSocket-Accept", value: HandshakeKey.accept(forKey: key))
        if let chosen { responseHeaders.add(name: "Sec-WebSocket-Protocol", value: chosen) }
        if !accepted.isEmpty {
            responseHeaders.add(name: "Sec-WebSocket-Extensions", value: accepted.map(\.description).joined(separator: ", "))
        }
        return .accept(
            response: HTTPResponseHead(status: 101, reasonPhrase: "Switching Protocols", headers: responseHeaders),
            negotiated: NegotiatedHandshake(
                subprotocol: chosen, extensions: accepted,
                permessageDeflate: deflate?.agreement))
    }

    /// Parses raw request bytes first; a request that is not even HTTP gets a 400 too.
    public func respond(toRequestBytes head: [UInt8]) -> Decision {
        do {
            return respond(to: try HTTPHeadParser.parseRequest(head))
        } catch {
            return reject(400, error.description)
        }
    }

    /// A refusal that does not come from reading a request: a head over the size limit (431), no route (404),
    /// a guard's answer (401, 403).
    public static func refusal(status: Int, reason: String) -> Decision {
        ServerHandshake().reject(status, reason)
    }

    private func reject(_ status: Int, _ reason: String, offerVersion: Bool = false) -> Decision {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: String(reason.utf8.count))
        headers.add(name: "Connection", value: "close")
        if offerVersion { headers.add(name: "Sec-WebSocket-Version", value: "13") }
        // RFC 9110 §15.5.22: "The server MUST send an Upgrade header field in a 426 response".
        if status == 426 { headers.add(name: "Upgrade", value: "websocket") }
        // A busy server says when to try again (RFC 9110 §10.2.3).
        if status == 503 || status == 429 { headers.add(name: "Retry-After", value: "1") }
        let phrase =
            switch status {
            case 401: "Unauthorized"
            case 403: "Forbidden"
            case 404: "Not Found"
            case 426: "Upgrade Required"
            case 429: "Too Many Requests"
            case 431: "Request Header Fields Too Large"
            case 500: "Internal Server Error"
            case 503: "Service Unavailable"
            default: status >= 500 ? "Server Error" : "Bad Request"
            }
        return .reject(response: HTTPResponseHead(status: status, reasonPhrase: phrase, headers: headers), reason: reason)
    }
}
