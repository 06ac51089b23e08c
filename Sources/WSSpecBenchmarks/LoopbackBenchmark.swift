import ConformanceSuite
import LiveRun
import ReferenceServer
import Scenario
import WebSocketNIO
import WebSocketServer

/// Sections 1–7 and 10 against the reference server over real TCP on loopback, beside the same cases
/// in-process under simulation (the same runner and server without sockets).
enum LoopbackBenchmark {
    struct Figures {
        var cases: Int
        var notPassed: Int
        var loopbackSeconds: Double
        var simulatedSeconds: Double
        /// The longest single case: no number of jobs makes the run shorter (5.19 and 5.20 pause 1 s, as Autobahn does).
        var longestCase: (id: CaseID, seconds: Double)
    }

    static func run(jobs: Int, repetitions: Int = 3) async throws -> Figures {
        let cases = Catalog.cases(CaseSelection(cases: "1.*,2.*,3.*,4.*,5.*,6.*,7.*,10.*"))
        let configuration = EchoServerConfiguration.withQuickKeepalive
        let server = try await SessionServer.referenceServer(configuration)
        let suite = try LiveSuite(url: server.url(), parameters: RunParameters(describing: configuration))
        let clock = ContinuousClock()
        var best = Duration.seconds(3600)
        var results: [CaseResult] = []
        for _ in 0..<repetitions {
            best = min(best, await clock.measure { results = await suite.run(cases, jobs: jobs) })
        }
        await server.stop()
        let simulation = InProcessSuite.referenceServer(configuration)
        var simulated = Duration.seconds(3600)
        for _ in 0..<repetitions {
            simulated = min(simulated, await clock.measure { _ = await simulation.run(cases, jobs: 2) })
        }
        let longest = results.max { $0.duration < $1.duration }!
        return Figures(
            cases: cases.count, notPassed: results.count { !$0.passed }, loopbackSeconds: best.seconds,
            simulatedSeconds: simulated.seconds, longestCase: (longest.id, longest.duration.seconds))
    }
}
