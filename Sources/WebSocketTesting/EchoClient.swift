public import Transport
public import WebSocketCore

/// The built-in client as the client under test that Autobahn|Testsuite's fuzzingserver (and `wsspec serve-suite`)
/// expects: it connects, echoes every message it receives (text as text, binary as binary) until the server closes,
/// and answers the closing handshake. With `compression`, it offers permessage-deflate.
public struct EchoClient: Sendable {
    public var target: String
    public var host: String
    public var compression: Bool
    /// Mask keys and the handshake nonce come from this seed (deterministic runs).
    public var seed: UInt64
    /// How long it waits for the next message before it gives up on the server.
    public var idleTimeout: Duration

    public init(target: String = "/", host: String = "127.0.0.1", compression: Bool = true, seed: UInt64 = 7,
                idleTimeout: Duration = .seconds(120)) {
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
        let request = ClientHandshakeRequest(target: target, host: host, nonce: nonce,
                                             extensions: compression ? [Self.compressionOffer] : [])
        guard let session = try? await ClientSession.connect(over: transport, request: request, maskKeys: SeededMaskKeySource(seed: seed))
        else { return }
        while let message = try? await session.receive(timeout: idleTimeout) {
            switch message {
            case .text(let text): try? await session.send(text: text)
            case .binary(let bytes): try? await session.send(binary: bytes)
            }
        }
        _ = await session.receiveClosure(timeout: .seconds(10))
    }
}
