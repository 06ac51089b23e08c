import Testing
import WebSocketCore

@Suite("permessage-deflate negotiation (RFC 7692 §5, §7.1)")
struct PerMessageDeflateNegotiationTests {
    private func element(_ header: String) throws -> ExtensionOffer {
        let parsed = try #require(ExtensionOffer.parse([header]))
        return try #require(parsed.first)
    }

    @Test("valid offers are read parameter by parameter")
    func readsOffers() throws {
        let full = try PerMessageDeflateParameters(
            element(
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                    + "server_max_window_bits=10; client_max_window_bits"), as: .offer)
        #expect(
            full
                == PerMessageDeflateParameters(
                    serverNoContextTakeover: true, clientNoContextTakeover: true,
                    serverMaxWindowBits: 10, clientMaxWindowBitsAccepted: true))
        let quoted = try PerMessageDeflateParameters(element("Permessage-Deflate; CLIENT_MAX_WINDOW_BITS=\"9\""), as: .offer)
        #expect(quoted.clientMaxWindowBits == 9)
        #expect(try PerMessageDeflateParameters(element("permessage-deflate"), as: .offer) == PerMessageDeflateParameters())
    }

    @Test(
        "malformed offers are refused with the reason",
        arguments: [
            ("permessage-deflate; foo", PerMessageDeflateError.unknownParameter("foo")),
            (
                "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
                .duplicateParameter("server_no_context_takeover")
            ),
            ("permessage-deflate; client_no_context_takeover=1", .unexpectedValue(parameter: "client_no_context_takeover", value: "1")),
            ("permessage-deflate; server_max_window_bits", .missingValue(parameter: "server_max_window_bits")),
            ("permessage-deflate; server_max_window_bits=7", .invalidValue(parameter: "server_max_window_bits", value: "7")),
            ("permessage-deflate; server_max_window_bits=16", .invalidValue(parameter: "server_max_window_bits", value: "16")),
            ("permessage-deflate; client_max_window_bits=09", .invalidValue(parameter: "client_max_window_bits", value: "09")),
            ("permessage-deflate; client_max_window_bits=+9", .invalidValue(parameter: "client_max_window_bits", value: "+9")),
            ("permessage-deflate; client_max_window_bits=ten", .invalidValue(parameter: "client_max_window_bits", value: "ten"))
        ])
    func refusesMalformedOffers(header: String, expected: PerMessageDeflateError) throws {
        let offer = try element(header)
        #expect(throws: expected) { try PerMessageDeflateParameters(offer, as: .offer) }
    }

    @Test("a response must give client_max_window_bits a value")
    func responseNeedsValues() throws {
        let response = try element("permessage-deflate; client_max_window_bits")
        #expect(throws: PerMessageDeflateError.missingValue(parameter: "client_max_window_bits")) {
            try PerMessageDeflateParameters(response, as: .response)
        }
    }

    @Test("the server declines malformed offers and accepts the first valid one")
    func serverSkipsInvalidOffers() throws {
        let offers = try #require(
            ExtensionOffer.parse([
                "x-other, permessage-deflate; server_max_window_bits=99, permessage-deflate; client_max_window_bits, permessage-deflate"
            ]))
        let (response, agreement) = try #require(PerMessageDeflateAgreement.accept(offers))
        #expect(response.element.description == "permessage-deflate")
        #expect(agreement == PerMessageDeflateAgreement(response: PerMessageDeflateParameters()))
        #expect(PerMessageDeflateAgreement.accept(Array(offers.prefix(2))) == nil)
    }

    @Test("the server grants what was asked and adds what its policy imposes")
    func serverEchoesAndImposes() throws {
        let offer = try element("permessage-deflate; server_max_window_bits=12; client_max_window_bits=10; server_no_context_takeover")
        let (response, agreement) = try #require(PerMessageDeflateAgreement.accept([offer]))
        #expect(
            response.element.description
                == "permessage-deflate; server_no_context_takeover; server_max_window_bits=12; client_max_window_bits=10")
        #expect(agreement.sending(as: .server) == DeflateSettings(windowBits: 12, noContextTakeover: true))
        #expect(agreement.receiving(as: .server) == DeflateSettings(windowBits: 10, noContextTakeover: false))

        let policy = PerMessageDeflatePolicy(clientNoContextTakeover: true, serverMaxWindowBits: 9, clientMaxWindowBits: 11)
        let plain = try element("permessage-deflate")
        let (imposed, _) = try #require(PerMessageDeflateAgreement.accept([plain], policy: policy))
        // client_max_window_bits was not offered, so it may not be sent back.
        #expect(imposed.element.description == "permessage-deflate; client_no_context_takeover; server_max_window_bits=9")
    }

    @Test(
        "the client fails responses that grant more than was offered",
        arguments: [
            ("permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=12"),
            ("permessage-deflate; server_max_window_bits=10", "permessage-deflate"),
            ("permessage-deflate; server_no_context_takeover", "permessage-deflate"),
            ("permessage-deflate", "permessage-deflate; client_max_window_bits=10"),
            ("permessage-deflate; client_max_window_bits=9", "permessage-deflate; client_max_window_bits=10")
        ])
    func clientRejectsOverreach(offer: String, response: String) throws {
        let offered = try PerMessageDeflateParameters(element(offer), as: .offer)
        let answer = try element(response)
        #expect(throws: PerMessageDeflateError.self) {
            try PerMessageDeflateAgreement.validate(response: answer, offers: [offered])
        }
    }

    /// Without the parameter the server may use the largest window, which a limit of 15 already allows.
    @Test("a response without server_max_window_bits keeps a limit of 15")
    func responseWithoutServerLimitKeepsFifteen() throws {
        let offered = try PerMessageDeflateParameters(element("permessage-deflate; server_max_window_bits=15"), as: .offer)
        let agreement = try PerMessageDeflateAgreement.validate(response: element("permessage-deflate"), offers: [offered])
        #expect(agreement.receiving(as: .client).windowBits == 15)
    }

    @Test("the client keeps to its own window limit when the response leaves it out")
    func clientKeepsItsLimit() throws {
        let offered = try PerMessageDeflateParameters(element("permessage-deflate; client_max_window_bits=9"), as: .offer)
        let agreement = try PerMessageDeflateAgreement.validate(response: element("permessage-deflate"), offers: [offered])
        #expect(agreement.sending(as: .client).windowBits == 9)
    }

    @Test("the opening handshake carries the agreement both ways")
    func handshakeCarriesAgreement() throws {
        var request = ClientHandshakeRequest(target: "/", host: "127.0.0.1", nonce: Array(repeating: 7, count: 16))
        request.extensions = [try element("permessage-deflate; client_max_window_bits")]
        let server = ServerHandshake(permessageDeflate: PerMessageDeflatePolicy(clientMaxWindowBits: 12))
        guard case .accept(let response, let serverSide) = server.respond(toRequestBytes: request.serialize()) else {
            Issue.record("the server refused a valid request")
            return
        }
        #expect(response.headers["Sec-WebSocket-Extensions"] == ["permessage-deflate; client_max_window_bits=12"])
        let clientSide = try ClientHandshakeValidator.validate(response, for: request)
        #expect(serverSide.permessageDeflate == clientSide.permessageDeflate)
        #expect(clientSide.permessageDeflate?.clientMaxWindowBits == 12)

        var declined = response
        declined.headers = HTTPHeaders()
        for field in response.headers where field.name != "Sec-WebSocket-Extensions" {
            declined.headers.add(name: field.name, value: field.value)
        }
        declined.headers.add(name: "Sec-WebSocket-Extensions", value: "permessage-deflate, permessage-deflate")
        #expect(throws: HandshakeResponseFailure.unacceptablePerMessageDeflate("it is accepted more than once")) {
            try ClientHandshakeValidator.validate(declined, for: request)
        }
    }
}
