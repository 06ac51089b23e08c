public import WebSocketCore

/// What an extended CONNECT needs from the HTTP/2 stream under a transport besides its bytes (which travel in DATA
/// frames): to send the request's header list, and to read the response's.
public protocol ExtendedConnectStream: AnyObject, Sendable {
    /// The `:scheme` of the request: `http` over cleartext HTTP/2 (h2c), `https` over TLS.
    var scheme: String { get }
    func sendRequest(_ fields: [ExtendedConnect.Field]) async
    /// The response's header list, or how the stream ended first; `deadline` is on the transport's clock.
    func response(until deadline: Duration) async -> ExtendedConnectAnswer
}

/// How the first answer on an extended CONNECT's stream came.
public enum ExtendedConnectAnswer: Sendable {
    case headers([ExtendedConnect.Field])
    /// The stream ended (END_STREAM with no response, the connection gone) or was reset (RST_STREAM, GOAWAY).
    case ended(reset: Bool)
    case timedOut
}

/// RFC 8441 §4: the WebSocket is one stream of an HTTP/2 connection, opened by an extended CONNECT and accepted by a
/// 2xx (`ExtendedConnect` maps the request and judges the answer). The transport of that stream offers it as its
/// `openingHandshake`, so the runner, the probe and the test client open WebSockets over HTTP/2 as they do over
/// HTTP/1.1.
public struct HTTP2ExtendedConnect: ClientOpeningHandshake {
    public let stream: any ExtendedConnectStream

    public init(stream: any ExtendedConnectStream) { self.stream = stream }

    public var kind: OpeningHandshakeKind { .http2ExtendedConnect }

    public func requestText(for request: ClientHandshakeRequest) -> String {
        ExtendedConnect.text(of: ExtendedConnect.requestFields(for: request, scheme: stream.scheme))
    }

    public func open(
        _ request: ClientHandshakeRequest, over transport: any ByteTransport, sending bytes: [UInt8]?,
        configuration: Connection.Configuration, maskKeys: any MaskKeySource, timeout: Duration,
        send: (([UInt8]) async -> Void)?, received: ([UInt8]) -> Void
    ) async -> ClientOpening.Outcome {
        await stream.sendRequest(ExtendedConnect.requestFields(for: request, scheme: stream.scheme))
        // What a caller sends behind the request (a case's early frame) follows it on the stream, as it would follow
        // the request's head over HTTP/1.1. Bytes that replace the request itself mean an HTTP/1.1 request: the cases
        // that send them are about the upgrade, and UNIMPLEMENTED here.
        let head = request.serialize()
        if let bytes, bytes.count > head.count, bytes.starts(with: head) {
            let early = Array(bytes[head.count...])
            if let send { await send(early) } else { await transport.write(early, until: transport.elapsed + timeout) }
        }
        switch await stream.response(until: transport.elapsed + timeout) {
        case .headers(let fields):
            // The header list is not part of the byte stream: the wire log keeps to the DATA frames' bytes, and the
            // report shows the list as the response head.
            let text = Array(ExtendedConnect.text(of: fields).utf8)
            let response: HTTPResponseHead
            do {
                response = try ExtendedConnect.responseHead(fromFields: fields)
            } catch {
                return .notHTTP(error, head: text)
            }
            let answer = ClientUpgrade.Answer(head: text, response: response, rest: [])
            guard (200..<300).contains(response.status) else { return .refused(answer) }
            let negotiated: NegotiatedHandshake
            do {
                negotiated = try ExtendedConnect.validate(response, for: request)
            } catch {
                return .invalidUpgrade(answer, error)
            }
            let connection = negotiated.connection(role: .client, configuration: configuration, maskKeys: maskKeys)
            return .upgraded(answer, negotiated: negotiated, connection: connection)
        case .ended(let reset): return .ended(reset: reset)
        case .timedOut: return .timedOut
        }
    }
}
