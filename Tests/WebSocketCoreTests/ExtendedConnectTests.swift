import Testing
import WebSocketCore

/// RFC 8441's mapping between the extended CONNECT on an HTTP/2 stream and the HTTP/1.1 heads wsspec judges.
@Suite("Opening handshake over HTTP/2 (RFC 8441)")
struct ExtendedConnectTests {
    static let request = ClientHandshakeRequest(
        target: "/chat?room=1", host: "127.0.0.1:9001", nonce: HandshakeTests.sampleNonce, origin: "http://127.0.0.1",
        subprotocols: ["chat"], extensions: [ExtensionOffer(name: "permessage-deflate")])

    /// §4: CONNECT with `:protocol websocket`, the pseudo-header fields first; no key, no Upgrade, no Host; names in
    /// lower case (RFC 9113 §8.2).
    @Test func requestIsAnExtendedConnect() {
        let fields = ExtendedConnect.requestFields(for: Self.request, scheme: "https")
        #expect(fields.prefix(5).map(\.name) == [":method", ":protocol", ":scheme", ":path", ":authority"])
        #expect(fields.prefix(5).map(\.value) == ["CONNECT", "websocket", "https", "/chat?room=1", "127.0.0.1:9001"])
        let names = fields.dropFirst(5).map(\.name)
        #expect(names == ["sec-websocket-version", "origin", "sec-websocket-protocol", "sec-websocket-extensions"])
        #expect(!names.contains { ["host", "upgrade", "connection", "sec-websocket-key"].contains($0) })
    }

    /// §5: a 2xx accepts, on the terms its fields grant; another status refuses; no Accept is asked for.
    @Test func aTwoHundredAcceptsWithoutAnAccept() throws {
        let head = try ExtendedConnect.responseHead(
            fromFields: [(":status", "200"), ("sec-websocket-protocol", "chat"), ("sec-websocket-extensions", "permessage-deflate")])
        let negotiated = try ExtendedConnect.validate(head, for: Self.request)
        #expect(negotiated.subprotocol == "chat")
        #expect(negotiated.permessageDeflate != nil)
        let refused = try ExtendedConnect.responseHead(fromFields: [(":status", "404")])
        #expect(throws: HandshakeResponseFailure.notSuccessful(status: 404)) { try ExtendedConnect.validate(refused, for: Self.request) }
        let unoffered = try ExtendedConnect.responseHead(fromFields: [(":status", "200"), ("sec-websocket-protocol", "other")])
        #expect(throws: HandshakeResponseFailure.unofferedSubprotocol("other")) { try ExtendedConnect.validate(unoffered, for: Self.request) }
    }

    @Test(arguments: [[], [(":status", "2000")], [(":status", "abc")], [(":status", "200"), (":status", "200")]])
    func aStatusThatIsNotOneIsNotHTTP(fields: [(String, String)]) {
        #expect(throws: HTTPParseError.self) { try ExtendedConnect.responseHead(fromFields: fields.map { (name: $0.0, value: $0.1) }) }
    }

    /// The server reads an extended CONNECT as the upgrade request it stands for, with a stand-in key its handshake
    /// accepts, so that one decision (`ServerHandshake`) judges both ways of opening.
    @Test func serverReadsTheUpgradeItStandsFor() throws {
        let head = try ExtendedConnect.upgradeRequest(fromFields: ExtendedConnect.requestFields(for: Self.request, scheme: "http"))
        #expect(head.method == "GET")
        #expect(head.target == "/chat?room=1")
        #expect(head.headers.single("Host") == "127.0.0.1:9001")
        #expect(head.headers.single("Upgrade") == "websocket")
        #expect(head.headers.listContains("Connection", token: "upgrade"))
        #expect(head.headers.single("Sec-WebSocket-Protocol") == "chat")
        guard case .accept(let response, _) = ServerHandshake(subprotocols: ["chat"]).respond(to: head) else {
            Issue.record("the server's handshake refused an extended CONNECT")
            return
        }
        // The answer goes out as a 200 without the HTTP/1.1 upgrade's own fields.
        let fields = ExtendedConnect.responseFields(for: response)
        #expect(fields.first?.name == ":status" && fields.first?.value == "200")
        #expect(!fields.contains { ["upgrade", "connection", "sec-websocket-accept"].contains($0.name) })
        #expect(fields.contains { $0.name == "sec-websocket-protocol" && $0.value == "chat" })
    }

    /// A request HTTP/1.1 could not carry, or that lacks what RFC 8441 §4 and RFC 9113 §8.3.1 require, is malformed.
    @Test(arguments: [
        [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":path", "/"), ("x", "a\r\nInjected: 1")],
        [(":method", "CONNECT"), (":protocol", "websocket"), (":path", "/")],
        [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":path", "/"), (":path", "/b")],
        [(":protocol", "websocket"), (":scheme", "http"), (":path", "/")],
        [(":method", "CONNECT")],
        [(":method", "GET"), (":scheme", "http"), ("bad name", "x"), (":path", "/")]
    ])
    func malformedRequestsAreRefused(fields: [(String, String)]) {
        #expect(throws: ExtendedConnect.MalformedRequest.self) {
            try ExtendedConnect.upgradeRequest(fromFields: fields.map { (name: $0.0, value: $0.1) })
        }
    }

    /// Any other request reads as itself, so the handshake refuses it as it refuses one over HTTP/1.1.
    @Test func anOrdinaryRequestIsRefusedAsOverHTTP1() throws {
        let head = try ExtendedConnect.upgradeRequest(
            fromFields: [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "localhost")])
        #expect(head.method == "GET" && head.headers.single("Upgrade") == nil)
        guard case .reject(let response, _) = ServerHandshake().respond(to: head) else {
            Issue.record("a plain GET was accepted")
            return
        }
        #expect(ExtendedConnect.responseFields(for: response).first?.value != "200")
    }
}
