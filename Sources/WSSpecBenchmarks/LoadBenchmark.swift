import ConformanceSuite
import ReferenceServer
import Scenario
import WebSocketNIO

#if canImport(Glibc)
    import Glibc
    import WebSocketServer
    import LiveRun
#endif

/// The load sections against the reference server over TCP loopback: 9.x (limits and performance), then 12.x
/// and 13.x (permessage-deflate) with the default round-trip budget, each section's wall time and the
/// process's peak memory (client and server are both in it).
enum LoadBenchmark {
    struct Section {
        var name: String
        var cases: Int
        var notPassed: Int
        var seconds: Double
        /// The process's peak resident memory once the section has run (a high-water mark, so it only grows).
        var peakMiB: Double
        /// The slowest case, and the compression ratio over the section's compressed traffic.
        var slowest: (id: CaseID, seconds: Double)
        var compressionRatio: Double?
        /// One line for each case that did not pass.
        var problems: [String]
    }

    static func run(jobs: Int) async throws -> [Section] {
        let configuration = EchoServerConfiguration.withQuickKeepalive
        let server = try await SessionServer.referenceServer(configuration)
        let suite = try LiveSuite(url: server.url(), parameters: RunParameters(describing: configuration))
        let clock = ContinuousClock()
        var sections: [Section] = []
        for (name, globs) in [("9.x", "9.*"), ("12.x", "12.*"), ("13.x", "13.*")] {
            let cases = Catalog.cases(CaseSelection(cases: globs))
            var results: [CaseResult] = []
            let elapsed = await clock.measure { results = await suite.run(cases, jobs: jobs) }
            let slowest = results.max { $0.duration < $1.duration }!
            let ratios = results.compactMap { result in result.measurements.first { $0.name == "compression ratio sent" }?.value }
            sections.append(
                Section(
                    name: name, cases: cases.count, notPassed: results.count { !$0.passed },
                    seconds: elapsed.seconds, peakMiB: peakResidentMiB(),
                    slowest: (slowest.id, slowest.duration.seconds),
                    compressionRatio: ratios.isEmpty ? nil : ratios.reduce(0, +) / Double(ratios.count),
                    problems: results.filter { !$0.passed }.map(\.summary)))
        }
        await server.stop()
        return sections
    }

    /// `ru_maxrss`, which Linux gives in KiB.
    static func peakResidentMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
