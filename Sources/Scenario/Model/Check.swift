/// A rule a case probes. Defects map to the cases that catch them through these (a server that skips UTF-8
/// validation fails every `.invalidUTF8` case), and the runner and the command read a few of them; as an enum a
/// mistyped tag is a compile error, and a scenario file naming an unknown one is rejected with the known names.
public enum Check: String, CaseIterable, Sendable, Hashable, Comparable, Codable {
    // The opening handshake (RFC 6455 §4), both roles.
    case handshake
    /// The case prefers the server to refuse the upgrade (a 4xx) to accepting it.
    case handshakeRefused = "handshake-refused"
    case clientHandshake = "client-handshake"
    case method, host, key, version, extensions, subprotocol
    case httpVersion = "http-version"
    case upgradeHeader = "upgrade-header"
    case headSize = "head-size"
    /// Bytes sent before the 101 arrived.
    case earlyData = "early-data"
    // Framing (§5).
    case framing, fragmentation, limits
    case reservedBits = "reserved-bits"
    case reservedOpcodes = "reserved-opcodes"
    case controlFrameLength = "control-frame-length"
    // Pings and pongs (§5.5.2, §5.5.3).
    case ping, pong
    // Text (§8.1).
    case utf8
    case invalidUTF8 = "invalid-utf8"
    /// The peer fails the connection as soon as the invalid byte arrives, not at the end of the message.
    case failFast = "fail-fast"
    // Closing (§5.5.1, §7).
    case close
    case closeCode = "close-code"
    case closePayload = "close-payload"
    case invalidCloseCode = "invalid-close-code"
    case afterClose = "after-close"
    case closeMidMessage = "close-mid-message"
    // Keepalive: what a server does on its own initiative.
    case keepalive, idle
    case serverPing = "server-ping"
    case pongTimeout = "pong-timeout"
    case closeTimeout = "close-timeout"
    // RFC 7692.
    case permessageDeflate = "permessage-deflate"

    public static func < (lhs: Check, rhs: Check) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The tags as a scenario file writes them, for an error that lists them.
    public static var knownNames: String { allCases.map(\.rawValue).sorted().joined(separator: ", ") }
}
