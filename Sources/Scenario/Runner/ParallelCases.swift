/// Runs cases `jobs` at a time and gives the results back in the cases' order, whatever order they finish
/// in: the shared scheduling of the in-process and live suites.
public enum ParallelCases {
    public static func run(_ cases: [ScenarioCase], jobs: Int,
                           progress: @escaping @Sendable (CaseResult) -> Void = { _ in },
                           _ body: @escaping @Sendable (ScenarioCase) async -> CaseResult) async -> [CaseResult] {
        await withTaskGroup(of: (Int, CaseResult).self) { group in
            var next = 0
            var results = [CaseResult?](repeating: nil, count: cases.count)
            func addNext() {
                let index = next
                next += 1
                let scenario = cases[index]
                group.addTask { (index, await body(scenario)) }
            }
            for _ in 0..<min(max(1, jobs), cases.count) { addNext() }
            for await (index, result) in group {
                results[index] = result
                progress(result)
                if next < cases.count { addNext() }
            }
            return results.map { $0! }
        }
    }
}
