import ConformanceReport
public import Foundation
import Scenario

/// Fuzz targets for the files wsspec reads back: saved runs (`wsspec report`, `wsspec diff`) and baselines
/// (`--expect`). Their invariant is the one every reader of crafted input keeps: a named error, or input that goes
/// all the way through (merged, compared and rendered in every format) without trapping. A trap is the failure
/// libFuzzer reports.
public enum ReportFuzzTarget: String, CaseIterable, Sendable {
    case savedRun = "saved-run"
    case baseline

    /// Reads `data` as the target's file and uses everything read; returns whether it was read (false: refused
    /// with a named error, which is as good an outcome).
    @discardableResult
    public func check(_ data: Data) -> Bool {
        switch self {
        case .savedRun:
            guard let runs = try? ReportWriter.decodeRuns(data, file: "input"),
                let merged = try? ShardMerge.merge(runs)
            else { return false }
            for (_, contents) in ReportWriter.files(merged.runs, formats: Set(ReportFormat.allCases)) { _ = try? contents() }
            _ = RunExit.decide(merged.runs, expected: merged.runs.first.map { $0.results.map(\.id) })
            if let first = merged.runs.first { _ = Baseline(accepting: first).text(target: first.target) }
            return true
        case .baseline:
            guard let text = String(data: data, encoding: .utf8), let baseline = try? Baseline.parse(text, name: "input") else {
                return false
            }
            _ = baseline.text(target: "input")
            return true
        }
    }

    /// libFuzzer's entry point: any input is fine as long as `check` returns.
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        guard let data else { return 0 }
        check(Data(bytes: data, count: size))
        return 0
    }
}
