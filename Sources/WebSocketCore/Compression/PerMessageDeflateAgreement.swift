/// What a completed permessage-deflate negotiation settled: each direction's window and whether it keeps its
/// LZ77 context from one message to the next.
public struct PerMessageDeflateAgreement: Sendable, Hashable, CustomStringConvertible {
    public var serverNoContextTakeover: Bool
    public var clientNoContextTakeover: Bool
    public var serverMaxWindowBits: Int
    public var clientMaxWindowBits: Int

    /// The agreement a server's response states (absent window sizes are 15).
    public init(response: PerMessageDeflateParameters) {
        serverNoContextTakeover = response.serverNoContextTakeover
        clientNoContextTakeover = response.clientNoContextTakeover
        serverMaxWindowBits = response.serverMaxWindowBits ?? 15
        clientMaxWindowBits = response.clientMaxWindowBits ?? 15
    }

    /// How the endpoint of `role` compresses what it sends.
    public func sending(as role: Role) -> DeflateSettings {
        role == .server
            ? DeflateSettings(windowBits: serverMaxWindowBits, noContextTakeover: serverNoContextTakeover)
            : DeflateSettings(windowBits: clientMaxWindowBits, noContextTakeover: clientNoContextTakeover)
    }

    /// How the endpoint of `role` decompresses what it receives: as its peer compresses.
    public func receiving(as role: Role) -> DeflateSettings { sending(as: role.peer) }

    public var description: String {
        "server: \(serverMaxWindowBits)-bit window\(serverNoContextTakeover ? ", no context takeover" : ""); "
            + "client: \(clientMaxWindowBits)-bit window\(clientNoContextTakeover ? ", no context takeover" : "")"
    }
}

/// One direction of permessage-deflate.
public struct DeflateSettings: Sendable, Hashable {
    public var windowBits: Int
    public var noContextTakeover: Bool

    public init(windowBits: Int = 15, noContextTakeover: Bool = false) {
        self.windowBits = windowBits
        self.noContextTakeover = noContextTakeover
    }
}

/// What a server asks for beyond what clients offer. The default accepts the first valid offer as it is.
public struct PerMessageDeflatePolicy: Sendable, Hashable {
    /// Declare `server_no_context_takeover` even when not asked (saves keeping a window per connection).
    public var serverNoContextTakeover = false
    /// Ask clients for `client_no_context_takeover` even when they did not offer it.
    public var clientNoContextTakeover = false
    /// Compress with at most this window, whatever the offer allows.
    public var serverMaxWindowBits: Int?
    /// Ask clients that accept the parameter to compress with at most this window.
    public var clientMaxWindowBits: Int?

    public init(
        serverNoContextTakeover: Bool = false, clientNoContextTakeover: Bool = false,
        serverMaxWindowBits: Int? = nil, clientMaxWindowBits: Int? = nil
    ) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
    }
}

extension PerMessageDeflateAgreement {
    /// Server side: answers the first permessage-deflate offer that is valid; malformed offers are declined
    /// (RFC 7692 §5), so a later valid one may still be taken. `nil` when none is acceptable.
    public static func accept(_ offers: [ExtensionOffer], policy: PerMessageDeflatePolicy = PerMessageDeflatePolicy())
        -> (response: PerMessageDeflateParameters, agreement: PerMessageDeflateAgreement)?
    {
        for element in offers where element.name.caseInsensitiveEquals(PerMessageDeflateParameters.extensionName) {
            guard let offer = try? PerMessageDeflateParameters(element, as: .offer) else { continue }
            var response = PerMessageDeflateParameters()
            response.serverNoContextTakeover = offer.serverNoContextTakeover || policy.serverNoContextTakeover
            response.clientNoContextTakeover = offer.clientNoContextTakeover || policy.clientNoContextTakeover
            if offer.serverMaxWindowBits != nil || policy.serverMaxWindowBits != nil {
                response.serverMaxWindowBits = min(offer.serverMaxWindowBits ?? 15, policy.serverMaxWindowBits ?? 15)
            }
            // Only a client that offered client_max_window_bits may be sent one (§7.1.2.2).
            if offer.clientMaxWindowBitsAccepted, offer.clientMaxWindowBits != nil || policy.clientMaxWindowBits != nil {
                response.clientMaxWindowBits = min(offer.clientMaxWindowBits ?? 15, policy.clientMaxWindowBits ?? 15)
                response.clientMaxWindowBitsAccepted = true
            }
            return (response, PerMessageDeflateAgreement(response: response))
        }
        return nil
    }

    /// Client side: checks a server's response against the offers that were sent (any one of them may be the
    /// one accepted) and returns the agreement, or throws why the client must fail the connection (§7.1).
    public static func validate(response element: ExtensionOffer, offers: [PerMessageDeflateParameters])
        throws(PerMessageDeflateError) -> PerMessageDeflateAgreement
    {
        let response = try PerMessageDeflateParameters(element, as: .response)
        var firstMismatch: String?
        for offer in offers {
            if let mismatch = mismatch(of: response, with: offer) {
                firstMismatch = firstMismatch ?? mismatch
            } else {
                // A client that offered a window limit keeps to it even when the response leaves it out.
                var agreement = PerMessageDeflateAgreement(response: response)
                agreement.clientMaxWindowBits = min(agreement.clientMaxWindowBits, offer.clientMaxWindowBits ?? 15)
                return agreement
            }
        }
        throw .responseExceedsOffer(firstMismatch ?? "permessage-deflate was not offered")
    }

    private static func mismatch(of response: PerMessageDeflateParameters, with offer: PerMessageDeflateParameters) -> String? {
        if offer.serverNoContextTakeover && !response.serverNoContextTakeover {
            return "server_no_context_takeover was asked for and not granted"
        }
        if let asked = offer.serverMaxWindowBits {
            // A response without the parameter leaves the server the largest window, 15 bits: within a limit
            // of 15, so no mismatch; above any smaller one.
            let granted = response.serverMaxWindowBits ?? 15
            if granted > asked {
                return response.serverMaxWindowBits == nil
                    ? "server_max_window_bits=\(asked) was asked for and not granted"
                    : "server_max_window_bits=\(granted) is above the \(asked) asked for"
            }
        }
        if let granted = response.clientMaxWindowBits {
            guard offer.clientMaxWindowBitsAccepted else { return "client_max_window_bits was not offered" }
            if let allowed = offer.clientMaxWindowBits, granted > allowed {
                return "client_max_window_bits=\(granted) is above the \(allowed) offered"
            }
        }
        return nil
    }
}
