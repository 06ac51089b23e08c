public import Scenario

/// One rule of the opening request broken on purpose, with the answer the catalog's case for the same rule demands:
/// the server refuses the request (with one of the catalog's statuses, and `Sec-WebSocket-Version: 13` where §4.4 asks
/// for it), and upgrading it is FAILED. Only rules whose upgrade the catalog fails are drawn, so a fuzzed verdict and a
/// catalog verdict about one request never disagree (a test compares each with its catalog case).
public struct OpeningFlaw: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// RFC 6455 §4.2.1 (0.2.1).
        case versionMissing = "Sec-WebSocket-Version missing"
        /// A version no draft used; the refusal must name 13 (§4.4; 0.2.3).
        case unknownVersion = "a version that does not exist"
        /// "13, 8" as one field value (§11.3.5, RFC 9110 §5.3; 0.2.5).
        case twoVersions = "Sec-WebSocket-Version twice"
        /// §4.2.1 (0.3.1).
        case keyMissing = "Sec-WebSocket-Key missing"
        /// RFC 9110 §7.8 (0.4.2).
        case otherProtocol = "Upgrade to another protocol"
        /// RFC 9110 §7.8 (0.5.1, 0.5.2).
        case otherMethod = "a method other than GET"
        /// RFC 9110 §7.8 (0.5.3).
        case http10 = "HTTP/1.0"
        /// RFC 9112 §3.2 (0.5.4, 0.5.5).
        case hostMissing = "Host missing"
        case hostTwice = "Host twice"
    }

    public var kind: Kind
    /// The version sent (`unknownVersion`) or the method (`otherMethod`).
    public var value: String?

    public init(kind: Kind, value: String? = nil) {
        self.kind = kind
        self.value = value
    }

    /// Versions that no draft of the protocol used.
    static let unknownVersions = ["14", "15", "99", "255"]
    static let otherMethods = ["POST", "PUT"]

    /// The request with the flaw, and what the server must answer to it.
    public func apply(to spec: inout HandshakeSpec) {
        switch kind {
        case .versionMissing:
            spec.overrides.append(.omit("Sec-WebSocket-Version"))
            spec.expect = .refusal([400, 426])
        case .unknownVersion:
            spec.overrides.append(.set("Sec-WebSocket-Version", value ?? "14"))
            spec.expect = .refusal([400, 426], offeringVersion: true)
        case .twoVersions:
            spec.overrides.append(.add("Sec-WebSocket-Version", "8"))
            spec.expect = .refusal([400, 426])
        case .keyMissing:
            spec.overrides.append(.omit("Sec-WebSocket-Key"))
            spec.expect = .refusal([400])
        case .otherProtocol:
            spec.overrides.append(.set("Upgrade", "h2c"))
            spec.expect = .refusal([400, 426])
        case .otherMethod:
            spec.method = value ?? "POST"
            spec.expect = .refusal([400, 405])
        case .http10:
            spec.httpVersion = "HTTP/1.0"
            spec.expect = .refusal([400, 426, 505])
        case .hostMissing:
            spec.overrides.append(.omit("Host"))
            spec.expect = .refusal([400])
        case .hostTwice:
            spec.overrides.append(.duplicate("Host"))
            spec.expect = .refusal([400])
        }
    }
}
