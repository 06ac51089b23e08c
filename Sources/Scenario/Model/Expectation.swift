public import WebSocketCore

/// What a received data message must look like.
public enum MessageMatcher: Sendable, CustomStringConvertible {
    case text(String)
    case binary([UInt8])
    /// A message of either kind whose bytes satisfy a predicate, described in words for reports.
    case matching(String, @Sendable (_ opcode: Opcode, _ payload: [UInt8]) -> Bool)

    public func matches(opcode: Opcode, payload: [UInt8]) -> Bool {
        switch self {
        // Compared in place: alternatives re-evaluate as input arrives, and a copy of a 256 KiB text each time adds up.
        case .text(let text): opcode == .text && payload.count == text.utf8.count && payload.elementsEqual(text.utf8)
        case .binary(let bytes): opcode == .binary && payload == bytes
        case .matching(_, let predicate): predicate(opcode, payload)
        }
    }

    public var description: String {
        switch self {
        case .text(let text): "text message \(ObservedEvent.summarize(Array(text.utf8), asText: true))"
        case .binary(let bytes): "binary message \(ObservedEvent.summarize(bytes, asText: false))"
        case .matching(let description, _): description
        }
    }
}

/// Something the peer must (or must not) do, each with a deadline measured from when the step begins.
public enum Expectation: Sendable, CustomStringConvertible {
    case message(MessageMatcher, within: Duration)
    /// A pong, with exactly this payload unless `nil`.
    case pong([UInt8]?, within: Duration)
    /// A ping from the peer (keepalive).
    case ping(within: Duration)
    /// A close frame from the peer with one of these codes (`nil`: any; a frame without a code counts as 1005).
    case close(codes: Set<UInt16>?, within: Duration)
    /// The peer fails the connection: a close frame with one of these codes, or (less politely) dropping
    /// the connection, and no echo of what came before it.
    case failure(codes: Set<UInt16>, within: Duration)
    /// No message, pong or close from the peer for this long; its pings are answered and allowed.
    case nothing(for: Duration)
    /// The peer ends the TCP connection (after the closing handshake or not).
    case disconnect(within: Duration)

    /// How long evaluating this expectation may take at most.
    public var deadline: Duration {
        switch self {
        case .message(_, let d), .pong(_, let d), .ping(let d), .close(_, let d), .failure(_, let d),
            .nothing(let d), .disconnect(let d):
            d
        }
    }

    public var description: String {
        switch self {
        case .message(let matcher, let d): "\(matcher) within \(d.formatted)"
        case .pong(let payload, let d):
            "pong\(payload.map { " " + ObservedEvent.summarize($0, asText: false) } ?? "") within \(d.formatted)"
        case .ping(let d): "a ping from the peer within \(d.formatted)"
        case .close(let codes, let d): "close frame with code \(codes.map(Self.list) ?? "any") within \(d.formatted)"
        case .failure(let codes, let d): "the peer fails the connection (code \(Self.list(codes))) within \(d.formatted)"
        case .nothing(let d): "nothing for \(d.formatted)"
        case .disconnect(let d): "the peer closes the TCP connection within \(d.formatted)"
        }
    }

    static func list(_ codes: Set<UInt16>) -> String { codes.sorted().map(String.init).joined(separator: " or ") }
}

/// One acceptable outcome of a `oneOf` step: a sequence of expectations and the verdict it earns.
public struct Alternative: Sendable, CustomStringConvertible {
    public var verdict: Verdict
    public var label: String
    public var expectations: [Expectation]

    public init(_ verdict: Verdict, _ label: String, expectations: [Expectation]) {
        self.verdict = verdict
        self.label = label
        self.expectations = expectations
    }

    public var description: String {
        "\(verdict): \(label) [\(expectations.map(\.description).joined(separator: ", then "))]"
    }
}

extension Duration {
    /// The duration in seconds, as a `Double` (for figures: rates, milliseconds in reports).
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// `1.5s`, `250ms`, `30us`: short and stable, for reports and scenario files.
    public var formatted: String {
        let (seconds, attoseconds) = components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        if nanoseconds % 1_000_000_000 == 0 { return "\(nanoseconds / 1_000_000_000)s" }
        if nanoseconds % 1_000_000 == 0 { return "\(nanoseconds / 1_000_000)ms" }
        if nanoseconds % 1_000 == 0 { return "\(nanoseconds / 1_000)us" }
        return "\(nanoseconds)ns"
    }
}
