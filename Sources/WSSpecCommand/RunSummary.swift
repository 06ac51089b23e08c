import ConformanceReport
import Scenario

/// The closing summary of a run: every case that is not plainly OK, with its requirement, what was
/// expected and what happened, then the counts per verdict.
enum RunSummary {
    static func print(_ run: ConformanceRun) {
        let notOK = run.results.filter { $0.verdict != .ok || ![.ok, .informational].contains($0.closeVerdict) }
        if !notOK.isEmpty {
            Console.out("Cases that are not OK:")
            for result in notOK {
                Console.out("  \(result.id) \(result.verdict)/\(result.closeVerdict) [\(result.requirement)] \(result.title)")
                Console.out("      expected: \(result.acceptableOutcomes.joined(separator: " | or: "))")
                Console.out("      actual:   \(result.reasons.joined(separator: " "))")
            }
        }
        let counts = run.counts.filter { $0.count > 0 }.map { "\($0.count) \($0.verdict)" }.joined(separator: ", ")
        let closeFailures = run.results.count { $0.verdict != .unimplemented && [.wrongCode, .unclean, .failedByClient].contains($0.closeVerdict) }
        Console.out("\(run.results.count) cases against \(run.target) in \(run.duration.secondsText) s: \(counts)"
                    + (closeFailures > 0 ? "; \(closeFailures) failed closing handshakes" : ""))
        Console.out(run.failures.isEmpty ? "PASS" : "FAIL: \(run.failures.count) case\(run.failures.count == 1 ? "" : "s") failed"
                    + (run.strict ? " (NON-STRICT counts, --strict)" : ""))
    }
}
