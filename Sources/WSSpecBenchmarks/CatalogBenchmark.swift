import ConformanceSuite
import ReferenceServer
import Scenario

/// The protocol catalog (every section but the load ones) in-process against the reference server under
/// simulation: one seed, then 100; and the whole catalog, load sections included, one seed then ten (what
/// `wsspec run --sim` and `--sim --seeds 10` run, without the reports).
enum CatalogBenchmark {
    struct Figures {
        var cases: Int
        var oneSeedSeconds: Double
        var hundredSeedsSeconds: Double
        var failures: Int
        var verdictChanges: Int
        var allCases: Int
        var allOneSeedSeconds: Double
        var allTenSeedsSeconds: Double
        var allVerdictChanges: Int
    }

    static func run(jobs: Int) async -> Figures {
        let suite = InProcessSuite.referenceServer(.withKeepalive)
        let clock = ContinuousClock()
        var results: [CaseResult] = []
        let one = await clock.measure { results = await suite.run(Catalog.protocolCases, seed: 0, jobs: jobs) }
        var changes = 0
        let hundred = await clock.measure { changes = await suite.sweep(Catalog.protocolCases, seeds: 100, jobs: jobs).changes.count }
        let whole = InProcessSuite.referenceServer(.withQuickKeepalive)
        let allOne = await clock.measure { _ = await whole.run(Catalog.all, seed: 7, jobs: jobs) }
        var allChanges = 0
        let allTen = await clock.measure { allChanges = await whole.sweep(Catalog.all, seeds: 10, jobs: jobs).changes.count }
        return Figures(
            cases: results.count, oneSeedSeconds: one.seconds, hundredSeedsSeconds: hundred.seconds,
            failures: results.filter { !$0.passed }.count, verdictChanges: changes, allCases: Catalog.all.count,
            allOneSeedSeconds: allOne.seconds, allTenSeedsSeconds: allTen.seconds, allVerdictChanges: allChanges)
    }
}
