public import WebSocketCore

/// The server's opening handshake over a byte transport, driven once for every server that reads its connections
/// itself: the runner as the server (testing a client) and serve-suite's answers. The transport says how
/// (`acceptingHandshake`: the HTTP/1.1 upgrade unless it is another kind of transport). The request is read
/// within a deadline and bounded, `decide` answers it, and an accepted request
/// gives a `Connection` that already holds the bytes that followed the head. The answer is not written: the
/// caller writes it, so that it can send a broken one on purpose. (Servers that are fed bytes by their host, the
/// reference server and the router, share `ServerSessionShell` instead.)
public enum ServerOpening {
    public enum Outcome {
        /// Write `response`, then speak WebSocket on `connection`.
        case upgraded(response: [UInt8], connection: Connection, negotiated: NegotiatedHandshake, request: [UInt8])
        /// Write `response` (a 4xx: the request was not a valid opening request, or `decide` refused it), then close.
        case refused(response: [UInt8], request: [UInt8])
        /// The client closed (or reset) the connection before a whole request.
        case ended(reset: Bool)
        /// No whole request by the deadline.
        case timedOut
    }

    /// `received` sees every chunk read, as it came; `request` in the outcome holds every byte read.
    public static func accept(
        over transport: any ByteTransport, maxHeadSize: Int = 16 * 1024,
        configuration: Connection.Configuration = Connection.Configuration(), deadline: Duration,
        received: ([UInt8]) -> Void = { _ in }, decide: (HTTPRequestHead) -> ServerHandshake.Decision
    ) async -> Outcome {
        await transport.acceptingHandshake.accept(
            over: transport, maxHeadSize: maxHeadSize, configuration: configuration, deadline: deadline,
            received: received, decide: decide)
    }
}
