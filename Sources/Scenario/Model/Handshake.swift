public import WebSocketCore

/// How the scripted client opens the connection, and which answers it accepts.
public struct HandshakeSpec: Sendable, Hashable {
    public var method = "GET"
    /// The request target; `nil` uses the run's path.
    public var target: String?
    public var httpVersion = "HTTP/1.1"
    public var origin: String?
    public var subprotocols: [String] = []
    public var extensions: [ExtensionOffer] = []
    /// Deliberate changes to the header set, applied in order.
    public var overrides: [ClientHandshakeRequest.HeaderOverride] = []
    /// Replace the key with this text (which may be malformed on purpose).
    public var key: String?
    /// A text message sent in the same write as the request, before any answer (early data).
    public var earlyMessage: String?
    public var expect: HandshakeExpectation = .upgrade()
    /// In the server role, how the script answers the client's request.
    public var answer: HandshakeAnswer = .standard

    /// Stands for the run's supported subprotocol (`RunParameters.subprotocol`) in `subprotocols`.
    public static let supportedSubprotocol = "{supported}"
    /// Stands, as `origin`, for the server's own origin: `http://` and the run's `Host`.
    public static let sameOrigin = "{same-origin}"

    public init() {}
}

/// Which subprotocol an accepted handshake must carry.
public enum SubprotocolRule: Sendable, Hashable {
    case any
    /// No `Sec-WebSocket-Protocol` in the response.
    case none
    /// Exactly this one (the validator already refuses one that was not offered).
    case exactly(String)
    /// The run's supported subprotocol (`RunParameters.subprotocol`): UNIMPLEMENTED when the run names none.
    case supported
}

/// The answers a case accepts to its opening request, with the verdict each one earns (`nil`: not acceptable).
public struct HandshakeExpectation: Sendable, Hashable {
    public var onUpgrade: Verdict?
    public var onRefusal: Verdict?
    /// Refusal statuses that earn `onRefusal`; any other 4xx earns NON-STRICT (`nil`: every 4xx).
    public var refusalStatuses: Set<Int>?
    /// Refusal statuses that earn a verdict of their own (e.g. 403 for an Origin the server does not accept).
    public var statusVerdicts: [Int: Verdict] = [:]
    /// A refusal must carry `Sec-WebSocket-Version: 13` (RFC 6455 §4.4)...
    public var refusalOffersVersion = false
    /// ...or it earns this verdict.
    public var refusalWithoutVersion: Verdict = .failed
    /// What asks for an HTTP answer to a request the server refuses, for the reason given when it closes the
    /// connection without one (graded NON-STRICT: the request was refused either way).
    public var noResponseRule = "RFC 6455 §4.2.1 asks for an HTTP error response"
    public var subprotocol: SubprotocolRule = .any
    /// The verdict of an upgrade whose subprotocol does not follow `subprotocol` (a valid choice among the
    /// offers, just not the expected one: the server may choose as it is willing, §4.2.2).
    public var subprotocolMismatch: Verdict = .failed
    /// The request's key is deliberately broken (two of them, say), so a server's Sec-WebSocket-Accept may
    /// follow a reading of it as good as ours: a 101 whose Accept differs is judged as an upgrade.
    public var keyIsBroken = false
    /// Extension names an upgrade must not accept.
    public var declinedExtensions: [String] = []

    public init(onUpgrade: Verdict?, onRefusal: Verdict?, refusalStatuses: Set<Int>? = nil) {
        self.onUpgrade = onUpgrade
        self.onRefusal = onRefusal
        self.refusalStatuses = refusalStatuses
    }

    /// The request is valid: the server must upgrade.
    public static func upgrade(subprotocol: SubprotocolRule = .any, declining: [String] = []) -> HandshakeExpectation {
        var expectation = HandshakeExpectation(onUpgrade: .ok, onRefusal: nil)
        expectation.subprotocol = subprotocol
        expectation.declinedExtensions = declining
        return expectation
    }

    /// The request is broken: the server must refuse it, preferably with one of `statuses`.
    public static func refusal(_ statuses: Set<Int>? = [400], offeringVersion: Bool = false) -> HandshakeExpectation {
        var expectation = HandshakeExpectation(onUpgrade: nil, onRefusal: .ok, refusalStatuses: statuses)
        expectation.refusalOffersVersion = offeringVersion
        return expectation
    }
}
