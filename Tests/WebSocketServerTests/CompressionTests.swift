import Testing
import WebSocketCore
import WebSocketRoutes
import WebSocketTesting
import WireSim

@Suite("permessage-deflate on routes")
struct CompressionTests {
    static let offer = ExtensionOffer(name: "permessage-deflate", parameters: [("client_max_window_bits", nil)])

    static func echoServer(_ policy: PerMessageDeflatePolicy?) -> TestServer {
        var configuration = ServerConfiguration()
        configuration.permessageDeflate = policy
        // Every write cut into 1-512-byte pieces: compressed messages arrive over many reads.
        return TestServer(seed: 5, link: LinkOptions(segmentation: .random(1...512)), configuration: configuration) { router in
            router.ws("/echo") { message, _ in message }
        }
    }

    @Test("a server with a policy accepts the offer, and handlers see plain messages")
    func compressedEcho() async throws {
        let server = Self.echoServer(PerMessageDeflatePolicy(clientMaxWindowBits: 10))
        let client = try await server.connect("/echo", extensions: [Self.offer])
        let agreement = try #require(client.permessageDeflate)
        #expect(agreement.clientMaxWindowBits == 10)
        for round in 0..<3 {
            // Numbered lines: compressible, but to several kilobytes, so that each message spans many reads.
            let text = (0..<2_000).map { "round \(round), line \($0 * 7919 % 10_007)\n" }.joined()
            try await client.send(text: text)
            #expect(try await client.receive() == .text(text))
        }
    }

    @Test("without a policy the offer is declined and messages go uncompressed")
    func declinedByDefault() async throws {
        let server = Self.echoServer(nil)
        let client = try await server.connect("/echo", extensions: [Self.offer])
        #expect(client.permessageDeflate == nil)
        try await client.send(text: "plain")
        #expect(try await client.receive() == .text("plain"))
    }
}
