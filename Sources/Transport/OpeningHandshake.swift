public import WebSocketCore

/// How a WebSocket is opened over a connection. RFC 6455's HTTP/1.1 upgrade is the one there is; RFC 8441's
/// extended CONNECT on an HTTP/2 stream and an in-process application's host plug in beside it
/// (docs/transports.md). A case that is about one of them (the handshake section is about the HTTP/1.1 upgrade)
/// says so, and is UNIMPLEMENTED, with the reason, under another.
public enum OpeningHandshakeKind: String, Sendable, Hashable, Codable, CustomStringConvertible {
    case http1Upgrade = "the HTTP/1.1 upgrade (RFC 6455 §4)"

    public var description: String { rawValue }
}

/// The client's opening handshake, as a part of the transport it runs over (`ByteTransport.openingHandshake`):
/// the runner, the test client and the probe open every WebSocket through `ClientOpening.open`, which asks the
/// transport how, so that a new way to open one takes no change above the transport.
public protocol ClientOpeningHandshake: Sendable {
    var kind: OpeningHandshakeKind { get }

    /// Sends `request` (as `bytes` when given, with what the caller sends behind it; through `send` when given),
    /// and reads the answer within `timeout` of sending it; `received` sees every chunk read, as it came.
    func open(
        _ request: ClientHandshakeRequest, over transport: any ByteTransport, sending bytes: [UInt8]?,
        configuration: Connection.Configuration, maskKeys: any MaskKeySource, timeout: Duration,
        send: (([UInt8]) async -> Void)?, received: ([UInt8]) -> Void
    ) async -> ClientOpening.Outcome
}

/// RFC 6455 §4.1: a GET with `Upgrade: websocket` on the connection itself, answered by 101 (`ClientUpgrade`).
public struct HTTP1Upgrade: ClientOpeningHandshake {
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
