import ReferenceServer
import Testing
import WebSocketCore

@Suite("The reference server and permessage-deflate")
struct EchoServerCompressionTests {
    /// The opening request with this offer, and the server's answer head as text.
    private func open(_ server: EchoServer, offer: String) throws -> String {
        var request = ClientHandshakeRequest(target: "/", host: "127.0.0.1", nonce: Array(repeating: 1, count: 16))
        request.extensions = try #require(ExtensionOffer.parse([offer]))
        guard case .write(let head) = try #require(server.receive(request.serialize()).first) else {
            Issue.record("the server wrote nothing")
            return ""
        }
        return String(decoding: head, as: UTF8.self)
    }

    @Test("a compressed message that arrives in many reads is echoed compressed", arguments: [1_000, 65_536])
    func echoesAcrossReads(readSize: Int) throws {
        let server = EchoServer(configuration: EchoServerConfiguration())
        let head = try open(server, offer: "permessage-deflate; client_max_window_bits")
        #expect(head.contains("Sec-WebSocket-Extensions: permessage-deflate\r\n"))

        var configuration = Connection.Configuration()
        configuration.permessageDeflate = PerMessageDeflateAgreement(response: PerMessageDeflateParameters())
        let client = Connection(role: .client, configuration: configuration, maskKeys: SeededMaskKeySource(seed: 3))
        // Text with repeats near and far, so that back-references reach across reads.
        let message = (0..<4_000).map { "record \($0 % 97) of \($0 % 13); " }.joined()
        try client.send(text: message)
        let wire = client.takeOutbound()
        #expect(wire.count < message.utf8.count / 4)
        #expect(wire.first == 0xC1, "FIN, RSV1 and the text opcode")

        var echoed: [ConnectionEvent] = []
        var start = 0
        while start < wire.count {
            let end = min(wire.count, start + readSize)
            for case .write(let bytes) in server.receive(Array(wire[start..<end])) { echoed += client.receive(bytes) }
            start = end
        }
        #expect(echoed == [.text(message)])
        #expect(client.compressionStatistics.received.messages == 1)
    }

    @Test("offers it cannot honour are declined, and the connection runs uncompressed")
    func declinesMalformedOffers() throws {
        let server = EchoServer(configuration: EchoServerConfiguration())
        let head = try open(server, offer: "permessage-deflate; server_max_window_bits=7")
        #expect(head.hasPrefix("HTTP/1.1 101"))
        #expect(!head.contains("Sec-WebSocket-Extensions"))
    }
}
