/// How the peer behaved in one case, worst last: a case's verdict is the worst of its steps.
public enum Verdict: String, Sendable, Hashable, Comparable, CaseIterable, Codable, CustomStringConvertible {
    case ok = "OK"
    /// Recorded, not judged: the RFC leaves the behaviour open.
    case informational = "INFORMATIONAL"
    /// A SHOULD was not followed.
    case nonStrict = "NON-STRICT"
    /// The peer does not offer what the case needs (or the run did not say it does).
    case unimplemented = "UNIMPLEMENTED"
    /// A MUST was broken.
    case failed = "FAILED"

    public var description: String { rawValue }
    private var severity: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.severity < rhs.severity }

    /// Whether a case with these verdicts fails a run (and the exit status): FAILED behaviour, a failed
    /// close unless the case was UNIMPLEMENTED, and, when the run is strict, NON-STRICT or any advisory.
    public static func failsRun(_ verdict: Verdict, _ close: CloseVerdict, advisories: [Advisory] = [], strict: Bool) -> Bool {
        if verdict == .failed || (strict && (verdict == .nonStrict || !advisories.isEmpty)) { return true }
        return verdict != .unimplemented && close.isFailure
    }
}

/// How the connection ended, judged apart from the behaviour (as Autobahn|Testsuite reports it).
public enum CloseVerdict: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case ok = "OK"
    /// The closing handshake was started by the wrong endpoint (the peer did not fail the connection where it
    /// must, or closed where the client was to).
    case failed = "FAILED"
    /// The peer's close code is not one the case accepts.
    case wrongCode = "WRONG CODE"
    /// The closing handshake did not complete: no close frame from the peer, or the TCP connection was reset.
    case unclean = "UNCLEAN"
    /// Our client had to end the connection: the peer sent something invalid, or did not close TCP.
    case failedByClient = "FAILED BY CLIENT"
    case informational = "INFORMATIONAL"

    public var description: String { rawValue }

    /// Whether this close fails the case.
    public var isFailure: Bool { ![.ok, .informational].contains(self) }
}

/// How strongly RFC 6455 states the rule a case checks: it decides the verdict of a mismatch.
public enum Requirement: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case must = "MUST"
    case should = "SHOULD"
    /// The RFC leaves it open: the outcome is recorded as INFORMATIONAL.
    case may = "MAY"

    public var description: String { rawValue }

    /// The verdict of a case whose expectation this level states is not met.
    public var verdictOnMismatch: Verdict {
        switch self {
        case .must: .failed
        case .should: .nonStrict
        case .may: .informational
        }
    }
}
