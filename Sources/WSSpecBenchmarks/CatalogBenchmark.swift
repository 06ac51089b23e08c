import ConformanceSuite
import ReferenceServer
import Scenario

/// The protocol catalog (every section but the load ones) in-process against the reference server under
/// simulation: one seed, then 100.
enum CatalogBenchmark {
    struct Figures {
        var cases: Int
        var oneSeedSeconds: Double
        var hundredSeedsSeconds: Double
        var failures: Int
        var verdictChanges: Int
    }

    static func run(jobs: Int) async -> Figures {
        let suite = InProcessSuite.referenceServer(.withKeepalive)
        let clock = ContinuousClock()
        var results: [CaseResult] = []
        let one = await clock.measure { results = await suite.run(Catalog.protocolCases, seed: 0, jobs: jobs) }
        var changes = 0
        let hundred = await clock.measure { changes = await suite.sweep(Catalog.protocolCases, seeds: 100, jobs: jobs).changes.count }
        return Figures(cases: results.count, oneSeedSeconds: one.seconds, hundredSeedsSeconds: hundred.seconds,
                       failures: results.filter { !$0.passed }.count, verdictChanges: changes)
    }
}
