/// A close status code (RFC 6455 §7.4), with the registered codes named.
public struct CloseCode: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt16) { rawValue = value }

    public static let normalClosure = CloseCode(1000)
    public static let goingAway = CloseCode(1001)
    public static let protocolError = CloseCode(1002)
    public static let unsupportedData = CloseCode(1003)
    /// Reserved (1004): never sent.
    public static let reserved = CloseCode(1004)
    /// Stands for "the close frame had no code"; never sent.
    public static let noStatusReceived = CloseCode(1005)
    /// Stands for "the connection ended without a close frame"; never sent.
    public static let abnormalClosure = CloseCode(1006)
    public static let invalidFramePayloadData = CloseCode(1007)
    public static let policyViolation = CloseCode(1008)
    public static let messageTooBig = CloseCode(1009)
    public static let mandatoryExtension = CloseCode(1010)
    public static let internalServerError = CloseCode(1011)
    public static let serviceRestart = CloseCode(1012)
    public static let tryAgainLater = CloseCode(1013)
    public static let badGateway = CloseCode(1014)
    /// Stands for "the TLS handshake failed"; never sent.
    public static let tlsHandshake = CloseCode(1015)

    /// Where a code stands in the registry, which decides whether it may go on the wire.
    public enum Category: Sendable, Hashable {
        /// Defined by RFC 6455 or registered with IANA, and sendable (1000–1003, 1007–1014).
        case registered
        /// Defined, but only for reporting: never in a close frame (1004, 1005, 1006, 1015).
        case neverSent
        /// For libraries, frameworks and applications (3000–4999).
        case application
        /// Anything else (0–999, unassigned 1016–2999, 5000+).
        case invalid
    }

    public var category: Category {
        switch rawValue {
        case 1000...1003, 1007...1014: .registered
        case 1004, 1005, 1006, 1015: .neverSent
        case 3000...4999: .application
        default: .invalid
        }
    }

    /// Whether an endpoint may put this code in a close frame, and accept it from a peer.
    public var isSendable: Bool { category == .registered || category == .application }

    /// The registered name, or nil for other codes.
    public var name: String? {
        switch rawValue {
        case 1000: "normal closure"
        case 1001: "going away"
        case 1002: "protocol error"
        case 1003: "unsupported data"
        case 1004: "reserved"
        case 1005: "no status received"
        case 1006: "abnormal closure"
        case 1007: "invalid frame payload data"
        case 1008: "policy violation"
        case 1009: "message too big"
        case 1010: "mandatory extension"
        case 1011: "internal server error"
        case 1012: "service restart"
        case 1013: "try again later"
        case 1014: "bad gateway"
        case 1015: "TLS handshake"
        default: nil
        }
    }

    public static func < (lhs: CloseCode, rhs: CloseCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { name.map { "\(rawValue) (\($0))" } ?? "\(rawValue)" }
}
