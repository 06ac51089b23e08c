import ArgumentParser
import ConformanceReport
import ConformanceSuite
import Foundation
import NIOConcurrencyHelpers
import Scenario
import WebSocketNIO

/// `wsspec serve-suite` (alias `fuzzingserver`): the suite in the server role, for clients under test, behind
/// Autobahn|Testsuite's fuzzingserver URL API (`CaseServerAPI`).
struct ServeSuiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-suite",
        abstract: "Serve the client-role cases behind Autobahn|Testsuite's fuzzingserver URLs, for WebSocket clients under test.",
        discussion: """
            A client's driver asks ws://HOST:PORT/getCaseCount, then for each case opens /runCase?case=N&agent=A \
            (or casetuple=1.1.1) and echoes what it receives, then opens /updateReports?agent=A. Reports (one \
            column per agent) go to --report-dir. Connections run concurrently; any Host header is accepted.
            Exit status (with --exit-after-agents or --deadline): 0 when every agent that ran a case passed every \
            selected case; 1 when a case failed or an agent left selected cases unrun (they are FAILED in its report); \
            2 when no client ran a case, and for usage errors.
            """,
        aliases: ["fuzzingserver"])

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 9001

    @Option(help: "Cases to serve, comma-separated globs (case=N counts in this selection).")
    var cases: String?

    @Option(help: "Cases to leave out, comma-separated globs.")
    var exclude: String?

    @Option(name: .customLong("report-dir"), help: "Where the reports go.")
    var reportDirectory = "Reports/clients"

    @Option(help: "Report formats, comma-separated: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format = ReportFormat.allCases.map(\.rawValue).joined(separator: ",")

    @Option(name: .customLong("exit-after-agents"), help: "Stop once this many agents that ran cases have asked for /updateReports.")
    var exitAfterAgents: Int?

    @Option(help: "Stop after this long (e.g. 10m), writing the reports of what ran.")
    var deadline: DurationArgument?

    @Option(
        name: .customLong("allow-origin"),
        help: ArgumentHelp(
            "A web origin whose pages may use the suite (repeatable; * for any). Without it, only requests with no Origin and pages from 127.0.0.1, [::1] or localhost get through.",
            valueName: "origin"))
    var allowOrigin: [String] = []

    @Option(
        name: .customLong("max-agents"),
        help: "The most agents whose results are kept; past it a new agent replaces the one with the fewest results.")
    var maxAgents = ConnectionLimits().maxAgents

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        if let exitAfterAgents, exitAfterAgents < 1 { throw ValidationError("--exit-after-agents must be at least 1") }
        guard (1...100_000).contains(maxAgents) else { throw ValidationError("--max-agents must be from 1 to 100000") }
        _ = try ReportFormats.parse(format)
        guard !selected.isEmpty else { throw ValidationError("no client-role case matches --cases \(cases ?? "*")") }
    }

    var selected: [ScenarioCase] {
        let selection = CaseSelection(cases: cases, exclude: exclude)
        return Catalog.clientRole.filter { selection.contains($0.id) }
    }

    var limits: ConnectionLimits {
        var limits = ConnectionLimits.caseServer
        limits.maxAgents = maxAgents
        return limits
    }

    func run() async throws {
        let formats = try ReportFormats.parse(format)
        let directory = URL(fileURLWithPath: reportDirectory)
        let reported = NIOLockedValueBox<Set<String>>([])
        let enough = exitAfterAgents
        let (stops, stop) = AsyncStream.makeStream(of: Void.self)
        let api = CaseServerAPI(
            cases: selected, parameters: RunParameters(),
            origins: OriginPolicy(allowed: Set(allowOrigin.map(OriginPolicy.normalized))),
            limits: limits,
            writeReports: { [selected] changes in
                ReportWriter.removeCaseFiles(of: changes.removed, cases: selected.map(\.id), in: directory)
                _ = try ReportWriter.write(changes.runs, formats: formats, to: directory, caseFilesOf: changes.changed)
            },
            reportsUpdated: { agent in
                let count = reported.withLockedValue {
                    $0.insert(agent)
                    return $0.count
                }
                if let enough, count >= enough { stop.yield() }
            })
        let server: TransportServer
        do {
            server = try await TransportServer.start(host: host, port: port, limits: limits) { transport in await api.serve(transport) }
        } catch {
            throw RunFailure.unreachable("cannot listen on \(host):\(port): \(error)")
        }
        Console.out(
            "serving \(selected.count) client-role cases on ws://\(host.contains(":") ? "[\(host)]" : host):\(server.port)/ "
                + "(getCaseCount, runCase?case=N&agent=A, updateReports?agent=A)")
        if enough == nil && deadline == nil {
            await server.waitUntilStopped()
            return
        }
        let timer = deadline.map { limit in
            Task {
                try await Task.sleep(for: limit.duration)
                Console.error("serve-suite: the --deadline of \(limit.duration.formatted) passed; stopping")
                stop.yield()
            }
        }
        for await _ in stops { break }
        timer?.cancel()
        await server.stop()
        // Every agent that ran a case, with the selected cases it never ran as FAILED; agents that ran none are no agents.
        let runs = await api.results.runs(completing: selected)
        if !runs.isEmpty {
            // Agents that never asked for /updateReports still get their reports, and every report has the whole selection.
            do {
                _ = try ReportWriter.write(runs, formats: formats, to: directory)
            } catch {
                throw RunFailure(status: 2, message: "error: cannot write the reports: \(error)")
            }
        }
        let exit = RunExit.decide(runs, expected: selected.map(\.id))
        for run in runs {
            let failing = run.failures.count
            Console.out("agent \(run.agent): \(run.results.count) cases, " + (failing == 0 ? "PASS" : "FAIL: \(failing) fail the run"))
        }
        try exit.end(nothingRan: "no client ran a case (an agent that only asks for /updateReports runs none)")
    }
}
