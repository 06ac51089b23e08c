public import Scenario

/// How a run ends, decided from its results: the one place where results become an exit status, for every
/// command that runs cases (`run`, `run-client`, `serve-suite`). It fails closed: a run in which nothing ran is
/// not a success, a case that was selected but has no result counts as failing, and a baseline only excuses the
/// failures it lists.
public struct RunExit: Sendable, Hashable, CustomStringConvertible {
    public enum Outcome: Sendable, Hashable {
        /// Every selected case ran, and none fails the run.
        case passed
        /// At least one case fails the run (or never ran).
        case failed
        /// No case ran at all: nothing was tested.
        case nothingRan
    }

    public var outcome: Outcome
    /// Cases that fail the run, counted over every run (those a baseline accepts excluded).
    public var failing: Int
    /// Selected cases without a result, counted over every run (included in `failing`).
    public var missing: Int

    /// 0 passed, 1 failed, 2 nothing ran (as for usage errors and unreachable peers: there is no verdict).
    public var status: Int32 {
        switch outcome {
        case .passed: 0
        case .failed: 1
        case .nothingRan: 2
        }
    }

    public var description: String {
        switch outcome {
        case .passed: "PASS"
        case .failed: "FAIL: \(failing) case\(failing == 1 ? "" : "s") fail the run" + (missing > 0 ? " (\(missing) never ran)" : "")
        case .nothingRan: "no case ran"
        }
    }

    /// - Parameters:
    ///   - runs: one run per agent (runs without a single result count as nothing ran).
    ///   - expected: the cases each run was meant to hold; any it lacks fails it. `nil`: the run's own results.
    ///   - baseline: the accepted verdicts (`--expect`); failures it lists with their verdict do not fail the run.
    public static func decide(_ runs: [ConformanceRun], expected: [CaseID]? = nil, baseline: Baseline? = nil) -> RunExit {
        let ran = runs.filter { !$0.results.isEmpty }
        guard !ran.isEmpty else { return RunExit(outcome: .nothingRan, failing: 0, missing: 0) }
        var failing = 0, missing = 0
        for run in ran {
            if let expected {
                let present = Set(run.results.map(\.id))
                let absent = expected.count { !present.contains($0) }
                missing += absent
                failing += absent
            }
            failing += baseline.map { $0.compare(run).unexpected.count } ?? run.failures.count
        }
        return RunExit(outcome: failing == 0 ? .passed : .failed, failing: failing, missing: missing)
    }
}
