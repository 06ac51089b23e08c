/// What a server may leave out and still conform: cases that need it are UNIMPLEMENTED, with the reason,
/// when the run says the server does not implement it (`wsspec run --without NAME`), instead of FAILED.
public enum OptionalFeature: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// RFC 7692's compression extension: the 12.x and 13.x round trips.
    case permessageDeflate = "permessage-deflate"
    /// A subprotocol (RFC 6455 §1.9): the 0.6.x cases that offer the one the server speaks.
    case subprotocol
    /// The server's own pings and timeouts (11.2-11.4): RFC 6455 lets a server ping (MAY), nothing more.
    case keepalive

    public var description: String { rawValue }

    /// What a reader of a report needs to know of it.
    public var meaning: String {
        switch self {
        case .permessageDeflate: "compression (RFC 7692)"
        case .subprotocol: "a subprotocol"
        case .keepalive: "pings of its own, with pong and close timeouts"
        }
    }
}

extension ScenarioCase {
    /// The optional features the case needs, read off its steps (compressed round trips, the placeholder
    /// for the server's subprotocol) and its checks (a server's keepalive).
    public var features: Set<OptionalFeature> {
        var features: Set<OptionalFeature> = []
        for step in steps {
            switch step {
            case .roundTrips(let trips) where trips.compressed:
                features.insert(.permessageDeflate)
            case .needsCompression:
                features.insert(.permessageDeflate)
            case .open(let spec) where spec.offersSupportedSubprotocol:
                features.insert(.subprotocol)
            default:
                break
            }
        }
        if !checks.isDisjoint(with: [.serverPing, .pongTimeout, .closeTimeout]) { features.insert(.keepalive) }
        return features
    }

    /// Why the case cannot run on a server without `missing`, or `nil` when it needs none of them.
    public func unimplementedReason(without missing: Set<OptionalFeature>) -> String? {
        let lacking = features.intersection(missing).sorted { $0.rawValue < $1.rawValue }
        guard !lacking.isEmpty else { return nil }
        return "the run says the server does not implement " + lacking.map { "\($0) (\($0.meaning))" }.joined(separator: " or ")
            + ", which this case needs (--without)"
    }
}

extension HandshakeSpec {
    /// Whether the request's Sec-WebSocket-Protocol is the case's own doing, through a header override.
    var overridesSubprotocolHeader: Bool {
        overrides.contains { override in
            switch override {
            case .add(let name, _), .set(let name, _), .omit(let name), .duplicate(let name): name.lowercased() == "sec-websocket-protocol"
            }
        }
    }

    /// Whether the request offers the server's own subprotocol (the run's `--subprotocol`), in the list or
    /// through a header override.
    var offersSupportedSubprotocol: Bool {
        let placeholder = Self.supportedSubprotocol
        return subprotocols.contains(placeholder)
            || overrides.contains { override in
                switch override {
                case .add(_, placeholder), .set(_, placeholder): true
                default: false
                }
            }
    }
}
