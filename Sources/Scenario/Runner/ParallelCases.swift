/// Runs cases `jobs` at a time and gives the results back in the cases' order, whatever order they finish
/// in: the shared scheduling of the in-process and live suites.
public enum ParallelCases {

    /// `estimate` orders the start: the longest cases start first, so that a case that waits for a minute
    /// overlaps the others instead of trailing after them (ties keep the cases' order). `started` hears of
    /// each case as it starts, `progress` of each result as it arrives.
    /// Any kind of case: the catalog's, or the HTTP/2 section's.
    public static func run<Case: Sendable>(
        _ cases: [Case], jobs: Int,
        estimate: (Case) -> Duration = { _ in .zero },
        started: @escaping @Sendable (Case) -> Void = { _ in },
        progress: @escaping @Sendable (CaseResult) -> Void = { _ in },
        _ body: @escaping @Sendable (Case) async -> CaseResult
    ) async -> [CaseResult] {
        let estimates = cases.map(estimate)
        let order = cases.indices.sorted { estimates[$0] != estimates[$1] ? estimates[$0] > estimates[$1] : $0 < $1 }
        return await withTaskGroup(of: (Int, CaseResult).self) { group in
            var next = 0
            var results = [CaseResult?](repeating: nil, count: cases.count)
            var retention = RunRetention()
            func addNext() {
                let index = order[next]
                next += 1
                let scenario = cases[index]
                started(scenario)
                group.addTask { (index, await body(scenario)) }
            }
            for _ in 0..<min(max(1, jobs), cases.count) { addNext() }
            for await (index, finished) in group {
                var result = finished
                retention.fit(&result)
                results[index] = result
                progress(result)
                if next < cases.count { addNext() }
            }
            return results.map { $0! }
        }
    }
}
