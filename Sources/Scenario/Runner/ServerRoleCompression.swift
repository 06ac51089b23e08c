public import WebSocketCore

/// How the script, as the server, takes a client's permessage-deflate offer in a compression case (12.x, 13.x).
/// The case's offer is written for the client role; as the server, its `server_*` parameters become the script's
/// own terms: `server_no_context_takeover` is declared (RFC 7692 §7.1.1.1 lets a server declare it unasked),
/// and `server_max_window_bits` is used when the client's offer allows a window limit at all (a response may
/// carry the parameter only as an answer to one: §7.1.2.1). The `client_*` parameters only say what a client may
/// be asked, so the script asks for nothing: it takes the client's offer as it comes, as Autobahn|Testsuite's
/// fuzzingserver does.
public enum ServerRoleCompression {
    /// The policy for a request, or nil when the case offers no compression (the script then declines any offer).
    public static func policy(for caseOffers: [ExtensionOffer], request: HTTPRequestHead) -> PerMessageDeflatePolicy? {
        guard let offer = caseOffers.first(where: { $0.name.lowercased() == PerMessageDeflateParameters.extensionName })
        else { return nil }
        var policy = PerMessageDeflatePolicy()
        policy.serverNoContextTakeover = offer.parameter("server_no_context_takeover") != nil
        let clientOffers = ExtensionOffer.parse(request.headers["Sec-WebSocket-Extensions"]) ?? []
        let clientAllowsLimit = clientOffers.contains { $0.parameter("server_max_window_bits") != nil }
        if clientAllowsLimit, case .some(.some(let text)) = offer.parameter("server_max_window_bits") { policy.serverMaxWindowBits = Int(text) }
        return policy
    }
}
