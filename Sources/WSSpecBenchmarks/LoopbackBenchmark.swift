import ConformanceSuite
import Foundation
import LiveRun
import ReferenceServer
import Scenario
import WebSocketNIO
import WebSocketServer

/// Sections 1–7 and 10 against the reference server over real TCP on loopback, beside the same cases over HTTP/2
/// (RFC 8441, h2c: each case's WebSocket on a stream of its own connection) and in-process under simulation (the
/// same runner and server without sockets). Wall time is mostly the cases' scripted pauses; the process's CPU time
/// (client and server both, they share it) shows what each transport costs.
enum LoopbackBenchmark {
    struct Figures {
        var cases: Int
        var notPassed: Int
        var loopbackSeconds: Double
        var loopbackCPUSeconds: Double
        var http2NotPassed: Int
        var http2Seconds: Double
        var http2CPUSeconds: Double
        var simulatedSeconds: Double
        /// The longest single case: no number of jobs makes the run shorter (5.19 and 5.20 pause 1 s, as Autobahn does).
        var longestCase: (id: CaseID, seconds: Double)
    }

    static func run(jobs: Int, repetitions: Int = 3) async throws -> Figures {
        let cases = Catalog.cases(CaseSelection(cases: "1.*,2.*,3.*,4.*,5.*,6.*,7.*,10.*"))
        let configuration = EchoServerConfiguration.withQuickKeepalive
        let server = try await SessionServer.referenceServer(configuration)
        let parameters = RunParameters(describing: configuration)
        let suite = try LiveSuite(url: server.url(), parameters: parameters)
        let http2 = try LiveSuite(url: server.url(), parameters: parameters, http2: true)
        var results: [CaseResult] = []
        var http2Results: [CaseResult] = []
        var (best, cpu) = (Double.infinity, Double.infinity)
        var (http2Best, http2CPU) = (Double.infinity, Double.infinity)
        // Alternated, so that neither transport runs on a machine the other warmed or loaded.
        for _ in 0..<repetitions {
            let overTCP = await measured { results = await suite.run(cases, jobs: jobs) }
            (best, cpu) = (min(best, overTCP.wall), min(cpu, overTCP.cpu))
            let overHTTP2 = await measured { http2Results = await http2.run(cases, jobs: jobs) }
            (http2Best, http2CPU) = (min(http2Best, overHTTP2.wall), min(http2CPU, overHTTP2.cpu))
        }
        await server.stop()
        let clock = ContinuousClock()
        let simulation = InProcessSuite.referenceServer(configuration)
        var simulated = Duration.seconds(3600)
        for _ in 0..<repetitions {
            simulated = min(simulated, await clock.measure { _ = await simulation.run(cases, jobs: 2) })
        }
        let longest = results.max { $0.duration < $1.duration }!
        return Figures(
            cases: cases.count, notPassed: results.count { !$0.passed }, loopbackSeconds: best, loopbackCPUSeconds: cpu,
            http2NotPassed: http2Results.count { !$0.passed }, http2Seconds: http2Best, http2CPUSeconds: http2CPU,
            simulatedSeconds: simulated.seconds, longestCase: (longest.id, longest.duration.seconds))
    }

    /// Wall time and the process's CPU time (user and system) of `body`, in seconds.
    static func measured(_ body: () async -> Void) async -> (wall: Double, cpu: Double) {
        func cpuNow() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
            return seconds(usage.ru_utime) + seconds(usage.ru_stime)
        }
        let clock = ContinuousClock()
        let cpuBefore = cpuNow()
        let wall = await clock.measure { await body() }
        return (wall.seconds, cpuNow() - cpuBefore)
    }
}
