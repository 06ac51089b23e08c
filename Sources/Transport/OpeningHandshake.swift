public import WebSocketCore

/// How a WebSocket is opened over a connection. A case that is about one of them (the handshake section is about
/// the HTTP/1.1 upgrade) says so, and is UNIMPLEMENTED, with the reason, under another.
public enum OpeningHandshakeKind: String, Sendable, Hashable, Codable, CustomStringConvertible {
    case http1Upgrade = "the HTTP/1.1 upgrade (RFC 6455 §4)"
    /// A stream of an HTTP/2 connection (RFC 8441 §4). Its transport plugs in beside TCP as docs/transports.md
    /// describes; until it exists, a case can already say it is about it.
    case http2ExtendedConnect = "extended CONNECT on an HTTP/2 stream (RFC 8441 §4)"

    public var description: String { rawValue }
}

/// The client's opening handshake, as a part of the transport it runs over (`ByteTransport.openingHandshake`):
/// the runner, the test client and the probe open every WebSocket through `ClientOpening.open`, which asks the
/// transport how, so that a new way to open one takes no change above the transport.
public protocol ClientOpeningHandshake: Sendable {
    var kind: OpeningHandshakeKind { get }

    /// The request as this handshake sends it, for a report: the HTTP/1.1 head, or an HTTP/2 header list.
    func requestText(for request: ClientHandshakeRequest) -> String

    /// Sends `request` (as `bytes` when given, with what the caller sends behind it; through `send` when given),
    /// and reads the answer within `timeout` of sending it; `received` sees every chunk read, as it came.
    func open(
        _ request: ClientHandshakeRequest, over transport: any ByteTransport, sending bytes: [UInt8]?,
        configuration: Connection.Configuration, maskKeys: any MaskKeySource, timeout: Duration,
        send: (([UInt8]) async -> Void)?, received: ([UInt8]) -> Void
    ) async -> ClientOpening.Outcome
}

extension ClientOpeningHandshake {
    public func requestText(for request: ClientHandshakeRequest) -> String {
        String(decoding: request.serialize(), as: UTF8.self)
    }
}

/// The server's opening handshake, as a part of the transport it runs over (`ByteTransport.acceptingHandshake`):
/// `ServerOpening.accept` asks the transport how. It reads the request within `deadline`, bounded by
/// `maxHeadSize`, and `decide` answers it; the answer comes back unwritten, for the caller to send (or break).
public protocol ServerOpeningHandshake: Sendable {
    var kind: OpeningHandshakeKind { get }

    func accept(
        over transport: any ByteTransport, maxHeadSize: Int, configuration: Connection.Configuration, deadline: Duration,
        received: ([UInt8]) -> Void, decide: (HTTPRequestHead) -> ServerHandshake.Decision
    ) async -> ServerOpening.Outcome
}

/// RFC 6455 §4: a GET with `Upgrade: websocket` on the connection itself, answered by 101 (`ClientUpgrade` reads
/// the answer, `ServerUpgrade` the request).
public struct HTTP1Upgrade: ClientOpeningHandshake, ServerOpeningHandshake {
    public init() {}

    public var kind: OpeningHandshakeKind { .http1Upgrade }

    public func open(
        _ request: ClientHandshakeRequest, over transport: any ByteTransport, sending bytes: [UInt8]?,
        configuration: Connection.Configuration, maskKeys: any MaskKeySource, timeout: Duration,
        send: (([UInt8]) async -> Void)?, received: ([UInt8]) -> Void
    ) async -> ClientOpening.Outcome {
        let bytes = bytes ?? request.serialize()
        if let send { await send(bytes) } else { await transport.write(bytes, until: transport.elapsed + timeout) }
        let deadline = transport.elapsed + timeout
        var upgrade = ClientUpgrade(request: request)
        while true {
            let input = await transport.read(until: deadline)
            switch input {
            case .bytes(let chunk):
                received(chunk)
                switch upgrade.receive(chunk, configuration: configuration, maskKeys: maskKeys) {
                case .needMore: continue
                case .upgraded(let answer, let negotiated, let connection):
                    return .upgraded(answer, negotiated: negotiated, connection: connection)
                case .refused(let answer): return .refused(answer)
                case .invalidUpgrade(let answer, let failure): return .invalidUpgrade(answer, failure)
                case .notHTTP(let error, let head): return .notHTTP(error, head: head)
                }
            case .endOfStream, .reset: return .ended(reset: input == .reset)
            case .timedOut: return .timedOut
            }
        }
    }
}

extension HTTP1Upgrade {
    public func accept(
        over transport: any ByteTransport, maxHeadSize: Int, configuration: Connection.Configuration, deadline: Duration,
        received: ([UInt8]) -> Void, decide: (HTTPRequestHead) -> ServerHandshake.Decision
    ) async -> ServerOpening.Outcome {
        var upgrade = ServerUpgrade(maxHeadSize: maxHeadSize)
        var request: [UInt8] = []
        while true {
            let input = await transport.read(until: deadline)
            switch input {
            case .bytes(let chunk):
                received(chunk)
                // Bounded: the parser refuses a head past `maxHeadSize`, so this holds at most that and one chunk.
                request += chunk
                switch upgrade.receive(chunk, configuration: configuration, decide: decide) {
                case .needMore: continue
                case .refused(let response): return .refused(response: response, request: request)
                case .upgraded(let response, let connection, let negotiated):
                    return .upgraded(response: response, connection: connection, negotiated: negotiated, request: request)
                }
            case .endOfStream, .reset: return .ended(reset: input == .reset)
            case .timedOut: return .timedOut
            }
        }
    }
}
