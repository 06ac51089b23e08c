public import Transport
public import WebSocketCore

/// The built-in client as the client under test that Autobahn|Testsuite's fuzzingserver (and `wsspec serve-suite`)
/// expects: it connects, echoes every message it receives (text as text, binary as binary) until the server closes,
/// and answers the closing handshake. With `compression`, it offers permessage-deflate. It speaks through the core
/// (`ClientOpening`, then a client-role `Connection`), as every client of wsspec's does, so that the `wsspec` binary
/// needs no test library (`ClientSession` is `WebSocketTesting`'s, which links Swift Testing).
public struct EchoClient: Sendable {
    public var target: String
    public var host: String
    public var compression: Bool
    /// Mask keys and the handshake nonce come from this seed (deterministic runs).
    public var seed: UInt64
    /// How long it waits for the server's next bytes before it gives up on it.
    public var idleTimeout: Duration

    public init(
        target: String = "/", host: String = "127.0.0.1", compression: Bool = true, seed: UInt64 = 7,
        idleTimeout: Duration = .seconds(120)
    ) {
        self.target = target
        self.host = host
        self.compression = compression
        self.seed = seed
        self.idleTimeout = idleTimeout
    }

    /// The offer it makes: permessage-deflate, letting the server limit the client's window.
    public static let compressionOffer = ExtensionOffer(name: "permessage-deflate", parameters: [("client_max_window_bits", nil)])

    /// One connection, over `transport`; returns when it is over.
    public func run(over transport: any ByteTransport) async {
        let nonce = (0..<16).map { UInt8(truncatingIfNeeded: seed >> (($0 % 8) * 8)) ^ UInt8($0) }
        let request = ClientHandshakeRequest(
            target: target, host: host, nonce: nonce,
            extensions: compression ? [Self.compressionOffer] : [])
        // Any answer but a valid 101 fails the connection.
        let outcome = await ClientOpening.open(request, over: transport, maskKeys: SeededMaskKeySource(seed: seed), timeout: .seconds(10))
        guard case .upgraded(_, _, let connection) = outcome else { return await transport.close() }
        var events = connection.receive([])
        var closeDeadline: Duration?
        while true {
            for event in events {
                switch event {
                case .text(let text): try? connection.send(text: text)
                case .binary(let bytes): try? connection.send(binary: bytes)
                default: break // Pings and the close are answered by the connection itself.
                }
            }
            if connection.hasOutbound { await transport.write(connection.takeOutbound()) }
            var closesTransport = false
            for order in connection.takeOrders() {
                switch order {
                case .startCloseTimer: closeDeadline = transport.elapsed + .seconds(10)
                case .closeTransport: closesTransport = true
                }
            }
            if closesTransport || connection.state == .closed { break }
            let deadline = closeDeadline ?? transport.elapsed + idleTimeout
            switch await transport.read(until: deadline) {
            case .bytes(let bytes): events = connection.receive(bytes)
            case .endOfStream, .reset, .timedOut: return await transport.close()
            }
        }
        await transport.close()
    }
}
