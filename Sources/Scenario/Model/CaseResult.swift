/// What the opening handshake looked like.
public struct HandshakeRecord: Sendable, Hashable {
    public var request: String
    /// The response head, as text; `nil` when none arrived.
    public var response: String?
    public var status: Int?
    public var subprotocol: String?
}

/// How the connection ended.
public struct ClosingRecord: Sendable, Hashable {
    public enum Side: String, Sendable, Hashable { case client, server }
    /// Close frames both ways: code (`nil`: none in the frame) and reason bytes.
    public var sentByClient: (code: UInt16?, reason: [UInt8])?
    public var sentByServer: (code: UInt16?, reason: [UInt8])?
    /// Which side sent the first close frame.
    public var initiatedBy: Side?
    /// Which side ended the TCP connection first.
    public var droppedBy: Side?
    /// Both close frames were exchanged and the TCP connection was not reset.
    public var wasClean: Bool

    public static func == (lhs: ClosingRecord, rhs: ClosingRecord) -> Bool {
        lhs.sentByClient?.code == rhs.sentByClient?.code && lhs.sentByClient?.reason == rhs.sentByClient?.reason
            && lhs.sentByServer?.code == rhs.sentByServer?.code && lhs.sentByServer?.reason == rhs.sentByServer?.reason
            && lhs.initiatedBy == rhs.initiatedBy && lhs.droppedBy == rhs.droppedBy && lhs.wasClean == rhs.wasClean
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(sentByClient?.code)
        hasher.combine(sentByServer?.code)
        hasher.combine(initiatedBy)
        hasher.combine(droppedBy)
        hasher.combine(wasClean)
    }
}

/// Everything one case run produced: the verdicts and why, and the evidence behind them.
public struct CaseResult: Sendable, Hashable {
    public var id: CaseID
    public var title: String
    public var requirement: Requirement
    public var rfcSections: [String]
    public var verdict: Verdict
    public var closeVerdict: CloseVerdict
    /// Why the verdicts are what they are, one sentence each.
    public var reasons: [String]
    /// The outcomes the case accepts, in words.
    public var acceptableOutcomes: [String]
    public var observed: [Observation]
    public var handshake: HandshakeRecord?
    public var closing: ClosingRecord
    public var wire: [WireRecord]
    public var duration: Duration
    /// The simulation seed, for a case run under simulation.
    public var seed: UInt64?

    /// Neither verdict is a failure (UNIMPLEMENTED is neither a pass nor a failure).
    public var passed: Bool {
        [.ok, .nonStrict, .informational].contains(verdict) && [.ok, .informational].contains(closeVerdict)
    }

    public var isFailure: Bool {
        verdict == .failed || ![.ok, .informational].contains(closeVerdict) && verdict != .unimplemented
    }

    /// One line: `6.4.1 OK/OK` plus the first reason when something is off.
    public var summary: String {
        var line = "\(id) \(verdict)/\(closeVerdict)"
        if !passed, let reason = reasons.first { line += ": \(reason)" }
        return line
    }
}
