import WebSocketCore

/// The case's result, as the reports show it.
extension CaseExecution {
    func result() -> CaseResult {
        var grade = grade
        // A case on what the RFC leaves open is recorded, not judged, however it went (unless it could not run).
        if scenario.requirement == .may && grade.verdict == .ok {
            grade.lead(with: .informational, "recorded, not judged: the RFC leaves this to the peer")
        }
        if let failure = endpoint.failure, failure.breaksFramingRules, grade.verdict < .failed {
            grade.lead(with: .failed, "the \(role.peer) broke RFC 6455 §\(failure.rfcSection) (\(failure)), which no case leaves open")
        }
        let close = closeOutcome()
        var allReasons = grade.reasons
        if !crossTalk.from.isEmpty {
            let senders = crossTalk.from.sorted().map(\.rawValue).joined(separator: ", ")
            allReasons.insert(
                "cross-talk: the \(role.peer) sent this connection a message that case \(senders) sent on its own connection "
                    + "(a server that relays messages between connections); run with --jobs 1 to test it one connection at a time", at: 0)
        }
        if let closeReason = close.reason { allReasons.append(closeReason) }
        let (byClient, byServer) = role == .client ? (endpoint.sentClose, endpoint.receivedClose) : (endpoint.receivedClose, endpoint.sentClose)
        let closing = ClosingRecord(
            sentByClient: byClient, sentByServer: byServer,
            initiatedBy: endpoint.initiatedBy, droppedBy: endpoint.droppedBy,
            wasClean: byClient != nil && byServer != nil && !endpoint.wasReset)
        return CaseResult(
            id: scenario.id, title: scenario.title, sends: scenario.sends, expectation: scenario.expectation,
            requirement: scenario.requirement,
            rfcSections: scenario.rfcSections, verdict: grade.verdict, closeVerdict: close.verdict, reasons: allReasons,
            advisories: close.advisories,
            acceptableOutcomes: OutcomeDescription.describe(scenario), observed: Observation.kept(log), handshake: handshake,
            closing: closing, wire: wire.records, duration: now, seed: nil, measurements: measurements,
            permessageDeflate: endpoint.compressionAgreement?.description, crossTalkFrom: crossTalk.from.sorted())
    }
}
