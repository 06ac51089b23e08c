/// What a completed opening handshake agreed on.
public struct NegotiatedHandshake: Sendable, Hashable {
    public var subprotocol: String?
    public var extensions: [ExtensionOffer]
    /// permessage-deflate, when both ends agreed to it: pass it to `Connection.Configuration`.
    public var permessageDeflate: PerMessageDeflateAgreement?

    public init(
        subprotocol: String? = nil, extensions: [ExtensionOffer] = [],
        permessageDeflate: PerMessageDeflateAgreement? = nil
    ) {
        self.subprotocol = subprotocol
        self.extensions = extensions
        self.permessageDeflate = permessageDeflate
    }
}

extension NegotiatedHandshake {
    /// The connection an accepted opening handshake opens, in either role and however it was opened: `configuration`
    /// on the terms the handshake agreed (its permessage-deflate), already holding `rest`, the bytes that came right
    /// behind the handshake.
    public func connection(
        role: Role, configuration: Connection.Configuration, maskKeys: any MaskKeySource = FixedMaskKeySource(.zero),
        holding rest: [UInt8] = []
    ) -> Connection {
        var configuration = configuration
        configuration.permessageDeflate = permessageDeflate
        let connection = Connection(role: role, configuration: configuration, maskKeys: maskKeys)
        if !rest.isEmpty { connection.append(rest) }
        return connection
    }
}

/// Why a server's answer to the opening request does not open a WebSocket connection (RFC 6455 §4.1).
public enum HandshakeResponseFailure: Error, Sendable, Hashable, CustomStringConvertible {
    case notSwitchingProtocols(status: Int, reasonPhrase: String)
    /// An extended CONNECT (RFC 8441) answered with another status than 2xx.
    case notSuccessful(status: Int)
    case missingUpgradeWebSocket
    case missingConnectionUpgrade
    case missingAccept
    case wrongAccept(expected: String, received: String)
    case unofferedSubprotocol(String)
    case multipleSubprotocols([String])
    case malformedExtensions(String)
    case unofferedExtension(String)
    /// A permessage-deflate response that is malformed, repeated or grants more than was offered (RFC 7692 §7.1).
    case unacceptablePerMessageDeflate(String)

    public var description: String {
        switch self {
        case .notSwitchingProtocols(let status, let phrase): "server answered \(status) \(phrase) instead of 101"
        case .notSuccessful(let status): "server answered the extended CONNECT with \(status) instead of 2xx"
        case .missingUpgradeWebSocket: "response lacks 'Upgrade: websocket'"
        case .missingConnectionUpgrade: "response lacks 'Connection: Upgrade'"
        case .missingAccept: "response lacks a single Sec-WebSocket-Accept"
        case .wrongAccept(let expected, let received): "Sec-WebSocket-Accept is \(received), expected \(expected)"
        case .unofferedSubprotocol(let name): "server chose subprotocol \(name.debugDescription), which was not offered"
        case .multipleSubprotocols(let names): "server chose several subprotocols: \(names)"
        case .malformedExtensions(let value): "malformed Sec-WebSocket-Extensions: \(value.debugDescription)"
        case .unofferedExtension(let name): "server accepted extension \(name.debugDescription), which was not offered"
        case .unacceptablePerMessageDeflate(let why): "unacceptable permessage-deflate response: \(why)"
        }
    }
}

public enum ClientHandshakeValidator {
    /// Checks the server's response against the request that was sent.
    public static func validate(_ response: HTTPResponseHead, for request: ClientHandshakeRequest)
        throws(HandshakeResponseFailure) -> NegotiatedHandshake
    {
        let headers = response.headers
        guard response.status == 101 else {
            throw .notSwitchingProtocols(status: response.status, reasonPhrase: response.reasonPhrase)
        }
        guard headers.listContains("Upgrade", token: "websocket") else { throw .missingUpgradeWebSocket }
        guard headers.listContains("Connection", token: "upgrade") else { throw .missingConnectionUpgrade }
        guard let accept = headers.single("Sec-WebSocket-Accept") else { throw .missingAccept }
        guard accept == request.expectedAccept else {
            throw .wrongAccept(expected: request.expectedAccept, received: accept)
        }
        return try negotiated(headers, for: request)
    }

    /// What an accepting answer agreed on, however the WebSocket was opened: its subprotocol and extensions, judged
    /// against the offers the request made.
    public static func negotiated(_ headers: HTTPHeaders, for request: ClientHandshakeRequest)
        throws(HandshakeResponseFailure) -> NegotiatedHandshake
    {
        let chosen = headers.listElements("Sec-WebSocket-Protocol")
        if chosen.count > 1 { throw .multipleSubprotocols(chosen) }
        // Judge against the request as sent: overrides may have added or removed offers.
        let sent = request.headers
        if let protocolName = chosen.first, !sent.listElements("Sec-WebSocket-Protocol").contains(protocolName) {
            throw .unofferedSubprotocol(protocolName)
        }
        let extensionValues = headers["Sec-WebSocket-Extensions"]
        guard let extensions = ExtensionOffer.parse(extensionValues) else {
            throw .malformedExtensions(extensionValues.joined(separator: ", "))
        }
        let offered = ExtensionOffer.parse(sent["Sec-WebSocket-Extensions"]) ?? request.extensions
        for accepted in extensions where !offered.contains(where: { $0.name.caseInsensitiveEquals(accepted.name) }) {
            throw .unofferedExtension(accepted.name)
        }
        let deflateResponses = extensions.filter { $0.name.caseInsensitiveEquals(PerMessageDeflateParameters.extensionName) }
        var deflate: PerMessageDeflateAgreement?
        if let response = deflateResponses.first {
            guard deflateResponses.count == 1 else { throw .unacceptablePerMessageDeflate("it is accepted more than once") }
            let deflateOffers = offered.compactMap { try? PerMessageDeflateParameters($0, as: .offer) }
            do {
                deflate = try PerMessageDeflateAgreement.validate(response: response, offers: deflateOffers)
            } catch {
                throw .unacceptablePerMessageDeflate(error.description)
            }
        }
        return NegotiatedHandshake(subprotocol: chosen.first, extensions: extensions, permessageDeflate: deflate)
    }
}
