public import WebSocketCore

/// The client's opening handshake over a byte transport, driven once for every client: the runner, the test
/// client, the live probe and the echo client. The transport says how (`openingHandshake`: the HTTP/1.1 upgrade
/// unless it is another kind of transport); the answer is read within a deadline and validated, and an accepted
/// one gives a `Connection` that already holds the bytes that followed it. Every other answer comes back whole,
/// for a caller that judges it.
public enum ClientOpening {
    public enum Outcome {
        case upgraded(ClientUpgrade.Answer, negotiated: NegotiatedHandshake, connection: Connection)
        /// The server answered, and did not accept (another status than 101, for the HTTP/1.1 upgrade).
        case refused(ClientUpgrade.Answer)
        /// An acceptance that does not open a connection for this request (its Accept, Upgrade, Connection,
        /// subprotocol or extensions).
        case invalidUpgrade(ClientUpgrade.Answer, HandshakeResponseFailure)
        /// No HTTP response: `head` holds the bytes when a head was complete but is not HTTP.
        case notHTTP(HTTPParseError, head: [UInt8]?)
        /// The server closed (or reset) the connection before a whole answer.
        case ended(reset: Bool)
        /// No whole answer by the deadline.
        case timedOut
    }

    /// Sends `request` (as `bytes` when given: a caller may send early data behind it; with `send` when given: the
    /// runner logs and paces its writes), then reads the answer for `timeout` from when it was sent. `received`
    /// sees every chunk read, as it came.
    public static func open(
        _ request: ClientHandshakeRequest, over transport: any ByteTransport, sending bytes: [UInt8]? = nil,
        configuration: Connection.Configuration = Connection.Configuration(), maskKeys: any MaskKeySource,
        timeout: Duration, send: (([UInt8]) async -> Void)? = nil, received: ([UInt8]) -> Void = { _ in }
    ) async -> Outcome {
        await transport.openingHandshake.open(
            request, over: transport, sending: bytes, configuration: configuration,
            maskKeys: maskKeys, timeout: timeout, send: send, received: received)
    }
}
