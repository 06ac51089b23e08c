import ArgumentParser
import ConformanceReport
import Scenario

/// The closing summary of a run: every case that is not plainly OK, with its requirement, what was
/// expected and what happened, then the counts per verdict.
enum RunSummary {
    /// - Parameter exit: the run's outcome, printed last (`nil` when a baseline summary says it instead).
    static func print(_ run: ConformanceRun, exit: RunExit?) {
        let notOK = run.results.filter { $0.verdict != .ok || ![.ok, .informational].contains($0.closeVerdict) }
        if !notOK.isEmpty {
            Console.out("Cases that are not OK:")
            for result in notOK {
                Console.out("  \(result.id) \(result.verdict)/\(result.closeVerdict) [\(result.requirement)] \(result.title)")
                Console.out("      expected: \(result.acceptableOutcomes.joined(separator: " | or: "))")
                Console.out("      actual:   \(result.reasons.joined(separator: " "))")
            }
        }
        let advised = run.results.filter { !$0.advisories.isEmpty }
        if !advised.isEmpty {
            // Grouped by finding: the same SHOULD is usually missed the same way in many cases.
            var byFinding: [Advisory: [CaseID]] = [:]
            for result in advised { for advisory in result.advisories { byFinding[advisory, default: []].append(result.id) } }
            Console.out("Advisories (SHOULDs not followed; they fail the run only under --strict):")
            for (advisory, ids) in byFinding.sorted(by: { $0.value.count > $1.value.count }) {
                let shown = ids.prefix(8).map(\.rawValue).joined(separator: ", ") + (ids.count > 8 ? ", …" : "")
                Console.out("  \(advisory.description): \(ids.count) case\(ids.count == 1 ? "" : "s") (\(shown))")
            }
        }
        let counts = run.counts.filter { $0.count > 0 }.map { "\($0.count) \($0.verdict)" }.joined(separator: ", ")
        let closeFailures = run.closeFailureCount
        Console.out(
            "\(run.results.count) cases against \(run.target) in \(run.duration.secondsText) s: \(counts)"
                + (closeFailures > 0 ? "; \(closeFailures) failed closing handshakes" : "")
                + (advised.isEmpty ? "" : "; \(advised.count) with advisories"))
        let crossTalk = run.results.filter { !$0.crossTalkFrom.isEmpty }
        if let first = crossTalk.first, let sender = first.crossTalkFrom.first {
            Console.out(
                "note: \(crossTalk.count) case\(crossTalk.count == 1 ? "" : "s") received messages that other cases sent on their own "
                    + "connections (\(first.id) got one of \(sender)'s): the server relays messages between connections (a chat room, a "
                    + "broadcast?), so cases that run side by side hear each other. Run with --jobs 1 to test it one connection at a time.")
        }
        if let exit { Console.out(exit.description + (exit.outcome == .failed && run.strict ? " (NON-STRICT and advisories count, --strict)" : "")) }
    }
}

extension RunExit {
    /// Ends the command with the outcome's status: returns when the run passed, and otherwise throws the status
    /// (with a message when nothing ran, which a summary cannot have said).
    func end(nothingRan why: String = "no case ran") throws {
        switch outcome {
        case .passed: return
        case .failed: throw ExitCode(status)
        case .nothingRan: throw RunFailure(status: status, message: "error: \(why)")
        }
    }
}

/// What `--expect` concluded: the failures the baseline accepts, the new ones, and the entries that no longer
/// apply (a case fixed, or failing otherwise).
enum BaselineSummary {
    static func print(_ comparison: Baseline.Comparison, file: String) {
        if !comparison.stale.isEmpty {
            Console.out("Baseline entries that no longer apply (\(file)):")
            for (entry, record) in comparison.stale {
                Console.out(
                    "  line \(entry.line): \(entry.id) expected \(entry.verdict)\(entry.closeVerdict.map { "/\($0)" } ?? ""), "
                        + "now \(record.verdict)/\(record.closeVerdict)")
            }
        }
        if !comparison.unexpected.isEmpty {
            Console.out("New failures, not in the baseline:")
            for record in comparison.unexpected { Console.out("  \(record.id) \(record.verdict)/\(record.closeVerdict) \(record.title)") }
        }
        Console.out(
            "baseline \(file): \(comparison.accepted.count) accepted, \(comparison.unexpected.count) new, "
                + "\(comparison.stale.count) no longer apply: \(comparison.passes ? "PASS" : "FAIL")")
    }
}
