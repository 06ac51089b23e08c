import Testing
import WebSocketCore

@Suite("Opening handshake")
struct HandshakeTests {
    static let sampleNonce: [UInt8] = Array("the sample nonce".utf8)

    @Test func acceptKeyOfRFCSection1_3() throws {
        let fixture = try Fixtures.json("rfc6455/handshake.json")
        let vector = fixture["acceptKey"] as! [String: String]
        #expect(HandshakeKey.accept(forKey: vector["key"]!) == vector["accept"]!)
        let nonce = fixture["nonceKey"] as! [String: String]
        #expect(HandshakeKey.key(nonce: try bytes(hex: nonce["nonceHex"]!)) == nonce["key"]!)
    }

    @Test func requestBuilderWritesTheStandardRequest() {
        let request = ClientHandshakeRequest(
            target: "/chat", host: "127.0.0.1:9001", nonce: Self.sampleNonce,
            subprotocols: ["chat", "superchat"])
        let text = String(decoding: request.serialize(), as: UTF8.self)
        #expect(
            text == """
                GET /chat HTTP/1.1\r
                Host: 127.0.0.1:9001\r
                Upgrade: websocket\r
                Connection: Upgrade\r
                Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
                Sec-WebSocket-Version: 13\r
                Sec-WebSocket-Protocol: chat, superchat\r
                \r

                """)
    }

    @Test func requestBuilderOmitsDuplicatesAndOverrides() {
        let request = ClientHandshakeRequest(
            target: "/", host: "127.0.0.1", nonce: Self.sampleNonce,
            overrides: [
                .omit("Sec-WebSocket-Key"), .set("sec-websocket-version", "8"), .duplicate("Host"),
                .add("X-Probe", "<script>")
            ])
        let headers = request.headers
        #expect(headers["Sec-WebSocket-Key"].isEmpty)
        #expect(headers["Sec-WebSocket-Version"] == ["8"])
        #expect(headers["host"] == ["127.0.0.1", "127.0.0.1"])
        #expect(headers.single("X-Probe") == "<script>")
        // Two Host fields make the request malformed before its version is even looked at.
        #expect(ServerHandshake().respond(to: request.head).response.status == 400)
        var onlyVersion = request
        onlyVersion.overrides = [.set("Sec-WebSocket-Version", "8")]
        #expect(ServerHandshake().respond(to: onlyVersion.head).response.status == 426)
    }

    struct RequestCase: Sendable, CustomTestStringConvertible {
        let name: String
        let request: [UInt8]
        let status: Int
        let versionHeader: String?
        var testDescription: String { name }
    }

    static func requestCases() throws -> [RequestCase] {
        let fixture = try Fixtures.json("handshake/requests.json")
        return (fixture["cases"] as! [[String: Any]]).map {
            RequestCase(
                name: $0["name"] as! String, request: Array(($0["request"] as! String).utf8),
                status: $0["status"] as! Int, versionHeader: $0["versionHeader"] as? String)
        }
    }

    @Test("server answers each request with the right status", arguments: try requestCases())
    func serverValidation(testCase: RequestCase) throws {
        var parser = HTTPHeadParser()
        let split = try #require(try parser.append(testCase.request))
        #expect(split.rest.isEmpty)
        let decision = ServerHandshake().respond(toRequestBytes: split.head)
        #expect(decision.response.status == testCase.status)
        if let version = testCase.versionHeader {
            #expect(decision.response.headers.single("Sec-WebSocket-Version") == version)
        }
        if testCase.status == 101 {
            #expect(decision.response.headers.single("Sec-WebSocket-Accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        } else {
            guard case .reject(_, let reason) = decision else {
                Issue.record("not rejected")
                return
            }
            #expect(!reason.isEmpty)
        }
    }

    @Test func headParserKeepsBytesAfterTheHeadAndIsIncremental() throws {
        let request = ClientHandshakeRequest(target: "/", host: "127.0.0.1", nonce: Self.sampleNonce).serialize()
        let early: [UInt8] = [0x81, 0x80, 1, 2, 3, 4]
        var parser = HTTPHeadParser()
        var result: (head: [UInt8], rest: [UInt8])?
        for byte in request + early where result == nil { result = try parser.append([byte]) }
        // Fed byte by byte, the head completes exactly at the blank line, before the frame bytes.
        #expect(result?.head == request)
        var whole = HTTPHeadParser()
        let parsed = try whole.append(request + early)
        #expect(parsed?.rest == early)
    }

    @Test func headParserStopsAtItsSizeLimit() {
        var parser = HTTPHeadParser(maxHeadSize: 64)
        #expect(throws: HTTPParseError.headTooLarge(limit: 64)) {
            for _ in 0..<10 { _ = try parser.append(Array("X-Filler: 0123456789\r\n".utf8)) }
        }
    }

    @Test func serverChoosesItsPreferredOfferedSubprotocol() throws {
        let request = ClientHandshakeRequest(
            target: "/", host: "127.0.0.1", nonce: Self.sampleNonce,
            subprotocols: ["v1.chat", "v2.chat"])
        let decision = ServerHandshake(subprotocols: ["v2.chat", "v1.chat"]).respond(to: request.head)
        guard case .accept(let response, let negotiated) = decision else {
            Issue.record("rejected")
            return
        }
        #expect(negotiated.subprotocol == "v2.chat")
        #expect(try ClientHandshakeValidator.validate(response, for: request).subprotocol == "v2.chat")
    }

    @Test func clientRefusesBadResponses() throws {
        let request = ClientHandshakeRequest(
            target: "/", host: "127.0.0.1", nonce: Self.sampleNonce,
            subprotocols: ["chat"])
        func response(_ fields: [(String, String)], status: Int = 101) -> HTTPResponseHead {
            HTTPResponseHead(status: status, reasonPhrase: "x", headers: HTTPHeaders(fields))
        }
        let accept = ("Sec-WebSocket-Accept", request.expectedAccept)
        let good = [("Upgrade", "WebSocket"), ("Connection", "keep-alive, Upgrade"), accept]
        #expect(try ClientHandshakeValidator.validate(response(good), for: request) == NegotiatedHandshake())
        #expect(throws: HandshakeResponseFailure.notSwitchingProtocols(status: 200, reasonPhrase: "x")) {
            try ClientHandshakeValidator.validate(response(good, status: 200), for: request)
        }
        #expect(throws: HandshakeResponseFailure.missingUpgradeWebSocket) {
            try ClientHandshakeValidator.validate(response([("Connection", "Upgrade"), accept]), for: request)
        }
        #expect(throws: HandshakeResponseFailure.missingConnectionUpgrade) {
            try ClientHandshakeValidator.validate(response([("Upgrade", "websocket"), accept]), for: request)
        }
        #expect(throws: HandshakeResponseFailure.wrongAccept(expected: request.expectedAccept, received: "AAAA")) {
            try ClientHandshakeValidator.validate(response(Array(good.prefix(2)) + [("Sec-WebSocket-Accept", "AAAA")]), for: request)
        }
        #expect(throws: HandshakeResponseFailure.unofferedSubprotocol("mqtt")) {
            try ClientHandshakeValidator.validate(response(good + [("Sec-WebSocket-Protocol", "mqtt")]), for: request)
        }
        #expect(throws: HandshakeResponseFailure.unofferedExtension("permessage-deflate")) {
            try ClientHandshakeValidator.validate(response(good + [("Sec-WebSocket-Extensions", "permessage-deflate")]), for: request)
        }
    }

    @Test func malformedResponsesAreErrorValues() {
        let garbage: [[UInt8]] = [
            Array("HTTP/1.1 abc Switching\r\n\r\n".utf8), Array("SSH-2.0-OpenSSH\r\n\r\n".utf8),
            [0xFF, 0xFE, 0x0D, 0x0A, 0x0D, 0x0A], Array("HTTP/1.1 101 OK\r\nNoColon\r\n\r\n".utf8)
        ]
        for bytes in garbage {
            #expect(throws: HTTPParseError.self) { _ = try HTTPHeadParser.parseResponse(bytes) }
        }
    }

    @Test func extensionOffersParse() throws {
        let offers = try #require(ExtensionOffer.parse(["permessage-deflate; client_max_window_bits, x-foo; a=\"1\""]))
        #expect(offers.map(\.name) == ["permessage-deflate", "x-foo"])
        #expect(offers[0].parameter("client_max_window_bits") == .some(nil))
        #expect(offers[1].parameter("a") == .some("1"))
        #expect(ExtensionOffer.parse(["; broken"]) == nil)
    }
}

@Suite("Peer text in a response head")
struct ReasonPhraseDisplayTests {
    /// Lines of a head end at CRLF only: a bare LF stays inside the reason phrase, and is shown escaped wherever it
    /// is quoted, so that it cannot start a line of its own (a `::error::` one, say) in a log or a summary.
    @Test func aBareLineFeedInAReasonPhraseStaysOnItsLine() throws {
        let head = Array("HTTP/1.1 400 Bad\n\u{A0}::error::forged\rx\r\nContent-Length: 0\r\n\r\n".utf8)
        let response = try HTTPHeadParser.parseResponse(head)
        #expect(response.reasonPhrase.contains("\n"))
        #expect(response.shownReasonPhrase == "Bad\\u{A}\u{A0}::error::forged\\u{D}x")
    }
}
