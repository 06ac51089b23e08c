public import WebSocketCore

/// Something the scripted client saw the peer do.
public enum ObservedEvent: Sendable, Hashable, CustomStringConvertible {
    case message(Opcode, [UInt8])
    case ping([UInt8])
    case pong([UInt8])
    /// A close frame: its code (`nil` when it had none) and the raw reason bytes.
    case close(code: UInt16?, reason: [UInt8])
    /// The peer broke a rule; the client failed the connection for it.
    case violation(ProtocolViolation)
    /// The peer ended the TCP connection (`reset`: abruptly).
    case disconnected(reset: Bool)
    /// A long message of which a result keeps only the start (`length` bytes arrived), to stay small.
    case messageStart(Opcode, prefix: [UInt8], length: Int)
    /// Events a result leaves out, to stay small; the case saw and judged them all.
    case omitted(count: Int)
    /// An event as text: read back from a saved run, as it was described when it happened (a saved run keeps events
    /// as text: a report shows them, nothing matches them again), or an HTTP/2 frame the HTTP/2 section's probe logged.
    case recorded(String)

    /// A message kept by its first `Observation.keptPayload` bytes and its length; any other event as it is.
    var shortened: ObservedEvent {
        guard case .message(let opcode, let payload) = self, payload.count > Observation.keptPayload else { return self }
        return .messageStart(opcode, prefix: Array(payload.prefix(Observation.keptPayload)), length: payload.count)
    }

    /// A data message, whole or (in a result) its start.
    public var isMessage: Bool {
        switch self {
        case .message, .messageStart: true
        default: false
        }
    }

    /// Whether the event counts when matching expectations; the peer's pings are answered and let pass.
    var isSignificant: Bool {
        if case .ping = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .message(let opcode, let payload):
            "\(opcode) message \(Self.summarize(payload, asText: opcode == .text))"
        case .ping(let payload): "ping \(Self.summarize(payload, asText: false))"
        case .pong(let payload): "pong \(Self.summarize(payload, asText: false))"
        case .close(let code, let reason):
            "close frame, code \(code.map(String.init) ?? "none")\(reason.isEmpty ? "" : ", reason " + Self.summarize(reason, asText: true))"
        case .violation(let violation): "invalid frame from the peer: \(violation)"
        case .disconnected(let reset): reset ? "connection reset by the peer" : "the peer closed the TCP connection"
        case .messageStart(let opcode, let prefix, let length):
            "\(opcode) message \(Self.summarize(prefix, asText: opcode == .text, length: length))"
        case .omitted(let count): "… \(count) more events, not kept in the result"
        case .recorded(let text): text
        }
    }

    /// A short, printable rendering of a payload: text when it is UTF-8, hex otherwise; long ones elided.
    public static func summarize(_ bytes: [UInt8], asText: Bool, length: Int? = nil) -> String {
        let limit = 48
        let total = length ?? bytes.count
        let shown = Array(bytes.prefix(limit))
        let suffix = total > shown.count ? "… (\(total) bytes)" : ""
        if asText, case .valid = UTF8Validator.validate(shown) {
            return String(decoding: shown, as: UTF8.self).debugDescription + suffix
        }
        if bytes.isEmpty { return "(empty)" }
        return "0x" + hex(shown) + suffix
    }

    /// Lower-case hex, two digits a byte, nothing elided.
    public static func hex(_ bytes: [UInt8]) -> String {
        Hex.encode(bytes)
    }
}

/// An observed event and when it happened, measured from the start of the case. Saved as its time, the event's
/// text and the whole line, and read back as a `.recorded` event.
public struct Observation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var time: Duration
    public var event: ObservedEvent
    public var description: String { "\(time.formatted) \(event)" }

    public init(time: Duration, event: ObservedEvent) {
        self.time = time
        self.event = event
    }

    // Two observations are the same when they read the same: a result loaded from a saved run (its events as text)
    // equals the one that was saved.
    public static func == (lhs: Observation, rhs: Observation) -> Bool {
        lhs.time == rhs.time && lhs.event.description == rhs.event.description
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(time)
        hasher.combine(event.description)
    }

    private enum CodingKeys: String, CodingKey { case time, text, description }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        time = try container.decode(Duration.self, forKey: .time)
        event = .recorded(try container.decode(String.self, forKey: .text))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(time, forKey: .time)
        try container.encode(event.description, forKey: .text)
        try container.encode(description, forKey: .description)
    }

    /// How many events a result keeps, from the start and from the end: what a report can show and a reader can
    /// read. A server that sends 100 000 frames still gets a small case page.
    public static let keptAtStart = 500
    public static let keptAtEnd = 100
    /// How many bytes of a message's payload a result keeps (its description shows 48).
    public static let keptPayload = 64

    /// The log as a result keeps it: the first `atStart` and last `atEnd` events, with a count of those left
    /// out between, and only the start of long messages. A log kept once can be kept again, shorter.
    public static func kept(_ log: [Observation], atStart: Int = keptAtStart, atEnd: Int = keptAtEnd) -> [Observation] {
        var shortened = log
        if log.count > atStart + atEnd + 1 {
            let dropped = log[atStart..<(log.count - atEnd)]
            let count = dropped.reduce(0) { total, observation in
                if case .omitted(let count) = observation.event { total + count } else { total + 1 }
            }
            shortened =
                Array(log.prefix(atStart)) + [Observation(time: log[atStart].time, event: .omitted(count: count))]
                + Array(log.suffix(atEnd))
        }
        return shortened.map { Observation(time: $0.time, event: $0.event.shortened) }
    }
}

/// Bytes that crossed the connection, as the client wrote or read them.
public struct WireRecord: Sendable, Hashable, Codable {
    /// Past the byte limit of the wire log, a case keeps records (lengths alone) only up to this many in all.
    public static let recordLimit = 2_000
    /// The same limit in round trips (9.x, 12.x, 13.x): their thousand echoes would otherwise fill every case's
    /// log with as many records, and the saved run of a catalog to over 100 MB.
    public static let roundTripRecordLimit = 250

    public enum Direction: String, Sendable, Hashable, Codable { case sent, received }
    public var time: Duration
    public var direction: Direction
    /// The bytes, or their first part once the result's wire log is full (`RunParameters.wireLogLimit`).
    public var bytes: [UInt8]
    /// How many bytes crossed, whether kept or not.
    public var length: Int

    public init(time: Duration, direction: Direction, bytes: [UInt8], length: Int? = nil) {
        self.time = time
        self.direction = direction
        self.bytes = bytes
        self.length = length ?? bytes.count
    }

    /// Some of the bytes were not kept.
    public var isTruncated: Bool { bytes.count < length }

    private enum CodingKeys: String, CodingKey { case time, direction, hex, length }

    // The bytes as hex: a saved run stays readable and half the size of a JSON number array.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        time = try container.decode(Duration.self, forKey: .time)
        direction = try container.decode(Direction.self, forKey: .direction)
        length = try container.decode(Int.self, forKey: .length)
        guard let bytes = Hex.decode(try container.decode(String.self, forKey: .hex)) else {
            throw DecodingError.dataCorruptedError(forKey: .hex, in: container, debugDescription: "not an even number of hex digits")
        }
        self.bytes = bytes
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(time, forKey: .time)
        try container.encode(direction, forKey: .direction)
        try container.encode(length, forKey: .length)
        try container.encode(ObservedEvent.hex(bytes), forKey: .hex)
    }
}
