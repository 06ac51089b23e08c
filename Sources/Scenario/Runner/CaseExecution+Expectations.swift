import WebSocketCore

/// What the script expects of the peer, matched against what it observed.
extension CaseExecution {
    /// Waits until the evaluation is decided, taking in what arrives meanwhile.
    func settle(_ evaluate: (Matching, Duration) -> MatchState) async {
        let start = now
        while true {
            switch evaluate(Matching(log: log, now: now), start) {
            case .matched(let next, let earned, let note):
                cursor = next
                // Which outcome happened is worth saying when it is not plain OK, and always where the case records.
                let said = earned > .ok || scenario.requirement == .may
                grade.note(earned, said ? note.map { [$0] } ?? [] : [])
                return
            case .failed(let reason):
                mismatch(reason)
                return
            case .pending(let until):
                if now >= scenario.deadline {
                    mismatch("the case did not finish within its deadline of \(scenario.deadline.formatted)")
                    return
                }
                await pumpOnce(until: min(until, scenario.deadline))
            }
        }
    }

    func mismatch(_ reason: String) { grade.mismatch(reason, requirement: scenario.requirement) }

    func scenarioError(_ reason: String) { grade.stop(.failed, "scenario error: \(reason)") }

    /// Messages, and pongs to the client's pings, that no expectation took up to the end of the connection
    /// fail the case: a peer that echoes twice, or answers what it received after a close, is not conforming
    /// however the expected part went (Autobahn|Testsuite compares every event up to the end in the same
    /// way). Other pongs pass: §5.5.3 lets a peer send them unsolicited, as a heartbeat.
    func checkNothingUnexpected() {
        guard opened, !grade.stopped, grade.verdict != .unimplemented, scenario.closing != .informational else { return }
        for observation in log[min(cursor, log.count)...] {
            switch observation.event {
            case .message, .messageStart:
                return mismatch("at \(observation.time.formatted) the peer sent a \(observation.event) that the case does not expect")
            case .pong(let payload) where sentPings.contains(payload):
                return mismatch("at \(observation.time.formatted) the peer sent a \(observation.event) that the case does not expect")
            case .pong, .ping, .close, .violation, .disconnected, .omitted, .recorded: continue
            }
        }
    }
}
