/// The judgement of one case while it runs: the worst verdict so far, the reasons for it, and whether the script
/// stops. It is the only place a case's verdict changes, and its operations only ever keep the worse verdict: a
/// later step cannot make an earlier failure pass.
struct CaseGrade {
    private(set) var verdict: Verdict = .ok
    private(set) var reasons: [String] = []
    /// The script runs no further steps (the closing handshake still runs when a connection is open).
    private(set) var stopped = false

    /// Takes a verdict and its reasons; the script goes on.
    mutating func note(_ verdict: Verdict, _ reasons: [String] = []) {
        self.verdict = max(self.verdict, verdict)
        self.reasons += reasons
    }

    /// Takes a verdict and its reason, and stops the script (with neither, only stops it).
    mutating func stop(_ verdict: Verdict = .ok, _ reason: String? = nil) {
        note(verdict, reason.map { [$0] } ?? [])
        stopped = true
    }

    /// The peer did not do what the case expects: the case's requirement level decides how much that weighs.
    mutating func mismatch(_ reason: String, requirement: Requirement) {
        stop(requirement.verdictOnMismatch, reason)
    }

    /// Takes a verdict whose reason leads the others: what decides the case, said first.
    mutating func lead(with verdict: Verdict, _ reason: String) {
        self.verdict = max(self.verdict, verdict)
        reasons.insert(reason, at: 0)
    }
}
