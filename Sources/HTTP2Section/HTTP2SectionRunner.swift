public import Scenario
public import Transport
import WebSocketCore

/// Runs the HTTP/2 section's cases, each on a connection of its own that `connect` makes (raw bytes: TCP or TLS
/// with ALPN h2 live, a simulated link in-process), and judges them into the catalog's results, so reports, baselines
/// and the exit status take them as they take every other case.
public struct HTTP2SectionRunner: Sendable {
    public var parameters: RunParameters
    /// `:scheme`: `http` over cleartext HTTP/2, `https` over TLS.
    public var scheme: String

    public init(parameters: RunParameters, scheme: String) {
        self.parameters = parameters
        self.scheme = scheme
    }

    /// What one case allows itself in all: the opening, a message or two and the close, with room for a stalled
    /// stream to be released.
    var budget: Duration { parameters.handshakeTimeout + parameters.closeTimeout * 3 + .seconds(10) }

    /// Runs a case over a fresh connection's transport and leaves the transport for the caller to close.
    public func run(_ scenario: HTTP2Case, over transport: any ByteTransport, seed: UInt64) async -> CaseResult {
        let began = transport.elapsed
        let streamWindow = scenario.probe == .streams(.stalledStream) ? 16 << 10 : 1 << 20
        let connection = HTTP2ProbeConnection(
            transport: transport, streamWindow: streamWindow, logLimit: parameters.maxObservations)
        let session = HTTP2ProbeSession(connection: connection, parameters: parameters, scheme: scheme, seed: seed)
        await connection.start(until: session.deadline(parameters.handshakeTimeout))
        var judgement: Judgement
        if await session.awaitServerSettings(until: session.deadline(parameters.handshakeTimeout)) {
            judgement = await HTTP2ProbeJudge(session: session, requirement: scenario.requirement).judge(scenario.probe)
        } else {
            judgement = Judgement(.failed, "no SETTINGS frame from the server: it does not speak HTTP/2 here (RFC 9113 §3.4)")
        }
        if judgement.verdict == .failed && scenario.requirement != .must && !judgement.always {
            judgement.verdict = scenario.requirement.verdictOnMismatch
        }
        let observed = connection.keptLog.map { Observation(time: $0.time - began, event: .recorded($0.text)) }
        return CaseResult.judged(
            id: scenario.id, title: scenario.title, sends: scenario.sends, expectation: scenario.expectation,
            requirement: scenario.requirement, rfcSections: scenario.rfcSections, verdict: judgement.verdict,
            reasons: judgement.reasons, acceptableOutcomes: [scenario.expectation], observed: observed,
            handshake: session.handshake, duration: transport.elapsed - began, seed: seed)
    }
}

extension HTTP2SectionRunner {
    /// A case that could not run (no connection): FAILED, with the reason, as the catalog's are.
    public func notRun(_ scenario: HTTP2Case, reason: String, seed: UInt64) -> CaseResult {
        CaseResult.judged(
            id: scenario.id, title: scenario.title, sends: scenario.sends, expectation: scenario.expectation,
            requirement: scenario.requirement, rfcSections: scenario.rfcSections, verdict: .failed, reasons: [reason],
            acceptableOutcomes: [scenario.expectation], observed: [], handshake: nil, duration: .zero, seed: seed)
    }
}

/// A verdict and why. `always`: FAILED whatever the case's level (the server broke a MUST of its own while the case
/// looked at a SHOULD).
struct Judgement: Error {
    var verdict: Verdict
    var reasons: [String]
    var always = false

    init(_ verdict: Verdict, _ reason: String, always: Bool = false) {
        self.verdict = verdict
        reasons = [reason]
        self.always = always
    }
}
