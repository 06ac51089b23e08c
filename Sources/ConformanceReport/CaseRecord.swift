public import Scenario

/// A case result as reports keep it: plain values that save to JSON and load back, so that runs written
/// at different times (or against different servers) can be merged and compared.
public struct CaseRecord: Sendable, Hashable, Codable {
    /// Something the client saw, as it was described when it happened.
    public struct Event: Sendable, Hashable, Codable, CustomStringConvertible {
        public var time: Duration
        public var text: String
        public var description: String
    }

    public var id: CaseID
    public var title: String
    public var sends: String
    public var expectation: String
    public var requirement: Requirement
    public var rfcSections: [String]
    public var verdict: Verdict
    public var closeVerdict: CloseVerdict
    public var reasons: [String]
    /// SHOULDs the peer did not follow that fail the case only under `--strict`; optional so that older
    /// runs still load.
    public var advisories: [Advisory]?
    public var acceptableOutcomes: [String]
    public var observed: [Event]
    public var handshake: HandshakeRecord?
    public var closing: ClosingRecord
    public var wire: [WireRecord]
    public var duration: Duration
    public var seed: UInt64?
    /// Figures the case measured (round trips, compression); optional so that older runs still load.
    public var measurements: [CaseMeasurement]?
    /// The permessage-deflate agreement, when there was one.
    public var permessageDeflate: String?
    /// Cases whose messages this one received (a server that relays between connections); optional so that older
    /// runs still load.
    public var crossTalkFrom: [CaseID]?

    public init(_ result: CaseResult) {
        id = result.id
        title = result.title
        sends = result.sends
        expectation = result.expectation
        requirement = result.requirement
        rfcSections = result.rfcSections
        verdict = result.verdict
        closeVerdict = result.closeVerdict
        reasons = result.reasons
        advisories = result.advisories.isEmpty ? nil : result.advisories
        acceptableOutcomes = result.acceptableOutcomes
        observed = result.observed.map { Event(time: $0.time, text: $0.event.description, description: $0.description) }
        handshake = result.handshake
        closing = result.closing
        wire = result.wire
        duration = result.duration
        seed = result.seed
        measurements = result.measurements.isEmpty ? nil : result.measurements
        permessageDeflate = result.permessageDeflate
        crossTalkFrom = result.crossTalkFrom.isEmpty ? nil : result.crossTalkFrom
    }

    /// Whether this result fails a run: FAILED behaviour or close, or (when the run is strict) NON-STRICT or
    /// an advisory.
    public func fails(strict: Bool) -> Bool {
        Verdict.failsRun(verdict, closeVerdict, advisories: advisories ?? [], strict: strict)
    }

    /// Plainly OK: OK behaviour, and a close that is OK or only recorded.
    public var isOK: Bool { verdict == .ok && [.ok, .informational].contains(closeVerdict) }
}
