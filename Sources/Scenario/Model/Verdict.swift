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
    /// close (wrong code, unclean, failed by the client) unless the case was UNIMPLEMENTED, and NON-STRICT
    /// when the run is strict.
    public static func failsRun(_ verdict: Verdict, _ close: CloseVerdict, strict: Bool) -> Bool {
        if verdict == .failed || (strict && verdict == .nonStrict) { return true }
        return verdict != .unimplemented && [.wrongCode, .unclean, .failedByClient].contains(close)
    }
}

/// How the connection ended, judged apart from the behaviour (as Autobahn|Testsuite reports it).
public enum CloseVerdict: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case ok = "OK"
    /// The peer's close code is not one the case accepts.
    case wrongCode = "WRONG CODE"
    /// The closing handshake did not complete: no close frame from the peer, or the TCP connection was reset.
    case unclean = "UNCLEAN"
    /// Our client had to fail the connection because the peer sent something invalid.
    case failedByClient = "FAILED BY CLIENT"
    case informational = "INFORMATIONAL"

    public var description: String { rawValue }
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
