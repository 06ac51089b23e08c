public import Transport

/// What the opening handshake looked like.
public struct HandshakeRecord: Sendable, Hashable, Codable {
    public init(
        request: String, response: String? = nil, status: Int? = nil, subprotocol: String? = nil,
        opening: OpeningHandshakeKind? = nil
    ) {
        self.request = request
        self.response = response
        self.status = status
        self.subprotocol = subprotocol
        self.opening = opening
    }

    /// The request as sent: an HTTP/1.1 head, or an HTTP/2 header list (`opening` says which).
    public var request: String
    /// The response head, as text; `nil` when none arrived.
    public var response: String?
    public var status: Int?
    public var subprotocol: String?
    /// How the WebSocket was opened; `nil` in runs saved before HTTP/2 came, which all used the HTTP/1.1 upgrade.
    public var opening: OpeningHandshakeKind? = nil

    /// How the WebSocket was opened, however the record was saved.
    public var openingKind: OpeningHandshakeKind { opening ?? .http1Upgrade }
    /// Whether the heads travelled in the byte stream (HTTP/1.1), before the frames, or beside it (HTTP/2 HEADERS).
    public var headsAreInTheWire: Bool { openingKind == .http1Upgrade }
    /// Whether the answer accepted the WebSocket: a 101, or a 2xx to an extended CONNECT.
    public var upgraded: Bool {
        guard let status else { return false }
        return headsAreInTheWire ? status == 101 : (200..<300).contains(status)
    }
}

/// A close frame as it was on the wire: its code (`nil`: the frame had none) and raw reason bytes.
public struct CloseFrameRecord: Sendable, Hashable, Codable {
    public var code: UInt16?
    public var reason: [UInt8]

    /// Splits a close payload as sent, whether valid or not (a one-byte payload has no code).
    public init(payload: [UInt8]) {
        code = payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil
        reason = Array(payload.dropFirst(2))
    }
}

/// How the connection ended.
public struct ClosingRecord: Sendable, Hashable, Codable {
    public enum Side: String, Sendable, Hashable, Codable { case client, server }
    public var sentByClient: CloseFrameRecord?
    public var sentByServer: CloseFrameRecord?
    /// Which side sent the first close frame.
    public var initiatedBy: Side?
    /// Which side ended the TCP connection first.
    public var droppedBy: Side?
    /// Both close frames were exchanged and the TCP connection was not reset.
    public var wasClean: Bool
}

/// Everything one case run produced: the verdicts and why, and the evidence behind them. The one result type from
/// the runner to the reports: a saved run holds these, and runs saved at different times (or against different
/// servers) load back to be merged and compared (their events as text: `ObservedEvent.recorded`).
public struct CaseResult: Sendable, Hashable {
    public var id: CaseID
    public var title: String
    /// What the client sends, and what a conforming peer does, in the case's own words.
    public var sends: String
    public var expectation: String
    public var requirement: Requirement
    public var rfcSections: [String]
    public var verdict: Verdict
    public var closeVerdict: CloseVerdict
    /// Why the verdicts are what they are, one sentence each.
    public var reasons: [String]
    /// SHOULDs the peer did not follow that do not fail the case (they do under `--strict`).
    public var advisories: [Advisory] = []
    /// The outcomes the case accepts, in words.
    public var acceptableOutcomes: [String]
    public var observed: [Observation]
    public var handshake: HandshakeRecord?
    public var closing: ClosingRecord
    public var wire: [WireRecord]
    public var duration: Duration
    /// The simulation seed, for a case run under simulation.
    public var seed: UInt64?
    /// Figures the case measured (round-trip timings, compression ratios), in the order measured.
    public var measurements: [CaseMeasurement] = []
    /// The permessage-deflate agreement, when the handshake made one.
    public var permessageDeflate: String?
    /// Cases of the same run whose messages this case received (`CrossTalkMonitor`): the server relays between
    /// connections.
    public var crossTalkFrom: [CaseID] = []
    /// The failure capsule of this case, relative to the report directory (`capsules/ID.json`): a failing case of a
    /// live run has one, for `wsspec replay`.
    public var capsule: String?

    /// The result of a case that could not run at all (no connection, no simulation): FAILED, for `reason`.
    public static func notRun(_ scenario: ScenarioCase, reason: String, seed: UInt64?) -> CaseResult {
        CaseResult(
            id: scenario.id, title: scenario.title, sends: scenario.sends, expectation: scenario.expectation,
            requirement: scenario.requirement,
            rfcSections: scenario.rfcSections, verdict: .failed, closeVerdict: .informational, reasons: [reason],
            acceptableOutcomes: OutcomeDescription.describe(scenario), observed: [], handshake: nil,
            closing: ClosingRecord(initiatedBy: nil, droppedBy: nil, wasClean: false),
            wire: [], duration: .zero, seed: seed)
    }

    /// A case judged by a runner of its own (the HTTP/2 section's frame-level probe): its words, the verdict and why,
    /// and what was seen, one line an event (`ObservedEvent.recorded`). It has no WebSocket close of its own to grade:
    /// its close verdict is INFORMATIONAL, and its wire log is the lines, not bytes.
    public static func judged(
        id: CaseID, title: String, sends: String, expectation: String, requirement: Requirement, rfcSections: [String],
        verdict: Verdict, reasons: [String], acceptableOutcomes: [String], observed: [Observation],
        handshake: HandshakeRecord?, duration: Duration, seed: UInt64?
    ) -> CaseResult {
        CaseResult(
            id: id, title: title, sends: sends, expectation: expectation, requirement: requirement, rfcSections: rfcSections,
            verdict: verdict, closeVerdict: .informational, reasons: reasons, acceptableOutcomes: acceptableOutcomes,
            observed: observed, handshake: handshake, closing: ClosingRecord(initiatedBy: nil, droppedBy: nil, wasClean: false),
            wire: [], duration: duration, seed: seed)
    }

    /// UNIMPLEMENTED without a connection: the run says the server lacks a feature the case needs.
    public static func unimplemented(_ scenario: ScenarioCase, parameters: RunParameters, seed: UInt64?) -> CaseResult? {
        guard let reason = scenario.unimplementedReason(without: parameters.without) else { return nil }
        var result = notRun(scenario, reason: reason, seed: seed)
        result.verdict = .unimplemented
        return result
    }

    /// Neither verdict is a failure (UNIMPLEMENTED is neither a pass nor a failure).
    public var passed: Bool {
        [.ok, .nonStrict, .informational].contains(verdict) && [.ok, .informational].contains(closeVerdict)
    }

    /// Whether this result fails a run (`Verdict.failsRun`).
    public func fails(strict: Bool) -> Bool { Verdict.failsRun(verdict, closeVerdict, advisories: advisories, strict: strict) }

    /// One line: `6.4.1 OK/OK` plus the first reason when something is off, or the first advisory.
    public var summary: String {
        var line = "\(id) \(verdict)/\(closeVerdict)"
        if !passed, let reason = reasons.first {
            line += ": \(reason)"
        } else if let advisory = advisories.first {
            line += " (advisory: \(advisory))"
        }
        return line
    }
}

/// One figure a case measured.
public struct CaseMeasurement: Sendable, Hashable, Codable {
    public var name: String
    public var value: Double
    public var unit: String

    public init(_ name: String, _ value: Double, unit: String) {
        self.name = name
        self.value = value
        self.unit = unit
    }

    /// `12.3 ms`, `1000 messages`, `0.213`: whole numbers as they are, others to 3 places below 10, 1 above.
    public var formatted: String {
        let number =
            value == value.rounded() && abs(value) < 1e15
            ? String(Int64(value))
            : Self.decimal(value, places: abs(value) < 10 ? 3 : 1)
        return unit.isEmpty ? number : "\(number) \(unit)"
    }

    private static func decimal(_ value: Double, places: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((abs(value) * Double(scale)).rounded())
        let fraction = String(scaled % scale)
        return (value < 0 ? "-" : "") + "\(scaled / scale)." + String(repeating: "0", count: places - fraction.count) + fraction
    }
}

// In an extension, so that the memberwise initializer stays.
extension CaseResult: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, title, sends, expectation, requirement, rfcSections, verdict, closeVerdict, reasons, advisories
        case acceptableOutcomes, observed, handshake, closing, wire, duration, seed, measurements, permessageDeflate
        case crossTalkFrom, capsule
    }

    // Empty lists and absent values are left out, and read back as such: runs saved before a field existed load.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(CaseID.self, forKey: .id)
        title = try container.decode(String.self, forKey: .title)
        sends = try container.decode(String.self, forKey: .sends)
        expectation = try container.decode(String.self, forKey: .expectation)
        requirement = try container.decode(Requirement.self, forKey: .requirement)
        rfcSections = try container.decode([String].self, forKey: .rfcSections)
        verdict = try container.decode(Verdict.self, forKey: .verdict)
        closeVerdict = try container.decode(CloseVerdict.self, forKey: .closeVerdict)
        reasons = try container.decode([String].self, forKey: .reasons)
        advisories = try container.decodeIfPresent([Advisory].self, forKey: .advisories) ?? []
        acceptableOutcomes = try container.decode([String].self, forKey: .acceptableOutcomes)
        observed = try container.decode([Observation].self, forKey: .observed)
        handshake = try container.decodeIfPresent(HandshakeRecord.self, forKey: .handshake)
        closing = try container.decode(ClosingRecord.self, forKey: .closing)
        wire = try container.decode([WireRecord].self, forKey: .wire)
        duration = try container.decode(Duration.self, forKey: .duration)
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed)
        measurements = try container.decodeIfPresent([CaseMeasurement].self, forKey: .measurements) ?? []
        permessageDeflate = try container.decodeIfPresent(String.self, forKey: .permessageDeflate)
        crossTalkFrom = try container.decodeIfPresent([CaseID].self, forKey: .crossTalkFrom) ?? []
        capsule = try container.decodeIfPresent(String.self, forKey: .capsule)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(sends, forKey: .sends)
        try container.encode(expectation, forKey: .expectation)
        try container.encode(requirement, forKey: .requirement)
        try container.encode(rfcSections, forKey: .rfcSections)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(closeVerdict, forKey: .closeVerdict)
        try container.encode(reasons, forKey: .reasons)
        if !advisories.isEmpty { try container.encode(advisories, forKey: .advisories) }
        try container.encode(acceptableOutcomes, forKey: .acceptableOutcomes)
        try container.encode(observed, forKey: .observed)
        try container.encodeIfPresent(handshake, forKey: .handshake)
        try container.encode(closing, forKey: .closing)
        try container.encode(wire, forKey: .wire)
        try container.encode(duration, forKey: .duration)
        try container.encodeIfPresent(seed, forKey: .seed)
        if !measurements.isEmpty { try container.encode(measurements, forKey: .measurements) }
        try container.encodeIfPresent(permessageDeflate, forKey: .permessageDeflate)
        if !crossTalkFrom.isEmpty { try container.encode(crossTalkFrom, forKey: .crossTalkFrom) }
        try container.encodeIfPresent(capsule, forKey: .capsule)
    }
}
