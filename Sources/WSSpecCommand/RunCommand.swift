import ArgumentParser
import ConformanceReport
import ConformanceSuite
import Foundation
import HTTP2Section
import LiveRun
import ReferenceServer
import Scenario
import WebSocketNIO
import WebSocketServer

/// `wsspec run [URL]`: the suite against a server, with reports and an exit code CI can gate on.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the conformance suite against a server (default: the built-in reference server).",
        discussion: """
            Exit status: 0 when no case FAILED; 1 when one did (or was NON-STRICT under --strict); 2 for usage \
            errors and for a server that cannot be reached at all (refused, DNS, TLS, timeout, not a WebSocket endpoint). \
            With --expect, 0 when every case that fails the run is in the baseline with its verdict, 1 on anything new.
            """
    )

    @Argument(help: "The ws:// or wss:// URL of the server under test. Without it, the built-in reference server runs on a loopback port.")
    var url: String?

    @OptionGroup(title: "Which cases")
    var source: CaseSourceOptions

    @Option(help: "How many cases run at once, each on its own connection.")
    var jobs = 8

    @Option(name: .customLong("case-timeout"), help: "The most time one case may take (it caps each case's own deadline), e.g. 20s.")
    var caseTimeout: DurationArgument?

    @Option(name: .customLong("connect-timeout"), help: "How long a connection (and its TLS handshake) may take.")
    var connectTimeout = DurationArgument(argument: "5s")!

    @Option(name: .customLong("handshake-timeout"), help: "How long the server may take to answer the opening request.")
    var handshakeTimeout = DurationArgument(argument: "5s")!

    @Option(name: .customLong("report-dir"), help: "Where the reports go; files of an earlier run there are replaced.")
    var reportDirectory = "Reports"

    @Option(help: "Report formats, comma-separated: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format = ReportFormat.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "The name the results are filed under in the reports.")
    var agent: String?

    @Flag(help: "NON-STRICT counts as a failure.")
    var strict = false

    @Option(
        help: ArgumentHelp(
            "A baseline of accepted verdicts, a line each: '7.1.5: FAILED  # why'. The run fails only on what it does not list, and names the entries that no longer apply.",
            valueName: "file"))
    var expect: String?

    @Option(
        name: .customLong("write-expect"),
        help: ArgumentHelp(
            "Write a baseline that accepts this run's verdicts (every case not plainly OK) to this file.",
            valueName: "file"))
    var writeExpect: String?

    @Option(name: .customLong("header"), help: "A header field for every opening request, as Name:Value (repeatable).")
    var headers: [HeaderArgument] = []

    @Option(help: "The Origin header of every opening request.")
    var origin: String?

    @Flag(help: "Accept any TLS certificate (self-signed test servers only).")
    var insecure = false

    @Option(name: .customLong("ca-file"), help: "Trust the CAs in this PEM file for wss:// instead of the system's.")
    var caFile: String?

    @OptionGroup(title: "HTTP/2")
    var http2Options: HTTP2Options
    private var http2: Bool { http2Options.overTLS }
    private var http2PriorKnowledge: Bool { http2Options.priorKnowledge }

    @Flag(help: "Run against the reference server in-process over the simulated network (no sockets, virtual time).")
    var sim = false

    @Option(help: "The run seed: mask keys and nonces, and under --sim the network's segmentation and delays.")
    var seed: UInt64?

    @Option(help: "With --sim: run under seeds 0..<N and report every case whose verdict changes with the seed.")
    var seeds: Int?

    @Flag(name: .customLong("no-probe"), help: "Run every case even when a first opening handshake fails.")
    var noProbe = false

    @Flag(
        name: .customLong("full-load"),
        help:
            "Send Autobahn|Testsuite's full 1000 messages in every 12.x/13.x case (up to 128 MiB a case; slow). By default large messages stop at 2 MiB a case."
    )
    var fullLoad = false

    @OptionGroup(title: "What the server does (section 11 and 0.6)")
    var server: ServerBehaviourOptions

    func validate() throws {
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be from 1 to 256") }
        _ = try formats()
        if sim && url != nil { throw ValidationError("--sim runs the built-in reference server in-process; it takes no URL") }
        if seeds != nil && !sim { throw ValidationError("--seeds needs --sim (live runs cannot replay a network)") }
        if let seeds, !(1...10_000).contains(seeds) { throw ValidationError("--seeds must be from 1 to 10000") }
        if insecure && caFile != nil { throw ValidationError("--insecure and --ca-file contradict each other") }
        try http2Options.validate(url: sim ? nil : url)
        if let agent, agent.isEmpty { throw ValidationError("--agent must not be empty") }
        // Both go into the opening request as they are: a line break would split it (header injection).
        if let origin, origin.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw ValidationError("--origin must not contain control characters (CR, LF...)")
        }
        _ = try source.load(alsoMatching: http2Section.map(\.id))
        _ = try baseline()
    }

    /// Section 14's cases this run takes: those the selection names, when the run is over HTTP/2.
    private var http2Section: [HTTP2Case] {
        guard http2 || http2PriorKnowledge else { return [] }
        return HTTP2Section.cases(source.selection).filter { source.shard?.contains($0.id) ?? true }
    }

    /// The `--expect` file, read before any case runs, so that a typo costs no run.
    private func baseline() throws -> Baseline? {
        guard let expect else { return nil }
        do {
            return try Baseline.load(URL(fileURLWithPath: expect))
        } catch {
            throw ValidationError(error.description)
        }
    }

    private func formats() throws -> Set<ReportFormat> { try ReportFormats.parse(format) }

    func run() async throws {
        let baseline = try baseline()
        var scenarios = try source.load(alsoMatching: http2Section.map(\.id))
        let http2Cases = http2Section
        if scenarios.isEmpty, http2Cases.isEmpty, let shard = source.shard {
            throw RunFailure.usage("shard \(shard) holds none of the selected cases: nothing to run")
        }
        if let caseTimeout {
            for index in scenarios.indices { scenarios[index].deadline = min(scenarios[index].deadline, caseTimeout.duration) }
        }
        // A live run leaves a capsule per failing case (`wsspec replay`); under --sim the seed alone reruns a case.
        let capsuleFolder = sim ? nil : try CapsuleFolder(reportDirectory: reportDirectory)
        let runSeed = seed ?? (sim ? 0 : UInt64.random(in: 1...UInt64(UInt32.max)))
        let startedAt = Date()
        let clock = ContinuousClock()
        let began = clock.now
        let progress = Progress(total: scenarios.count + http2Cases.count, strict: strict)

        let target: String
        let results: [CaseResult]
        if sim {
            (target, results) = await runSimulated(scenarios, http2Cases, seed: runSeed, progress: progress)
        } else if let url {
            (target, results) = try await runLive(
                scenarios, http2Cases, url: try parse(url), seed: runSeed, progress: progress, capsules: capsuleFolder)
        } else {
            let configuration = referenceConfiguration
            let referenceServer: SessionServer
            do {
                referenceServer = try await SessionServer.referenceServer(configuration)
            } catch {
                throw RunFailure.unreachable("cannot start the reference server on 127.0.0.1: \(error)")
            }
            var parameters = RunParameters(describing: configuration)
            parameters.apply(server)
            let outcome: Result<(String, [CaseResult]), any Error>
            do {
                outcome = .success(
                    try await runLive(
                        scenarios, http2Cases, url: referenceServer.url(), seed: runSeed, progress: progress, parameters: parameters,
                        capsules: capsuleFolder))
            } catch {
                outcome = .failure(error)
            }
            await referenceServer.stop()
            (target, results) = try outcome.get()
        }
        progress.finish()

        var run = ConformanceRun(
            agent: agent ?? ((url == nil ? "wsspec-reference" : "server") + (http2 || http2PriorKnowledge ? "-h2" : "")), target: target,
            startedAt: startedAt, duration: clock.now - began, seed: runSeed, strict: strict, results: results)
        run.shard = source.shard
        let without = server.withoutFeatures
        if !without.isEmpty { run.without = without.sorted { $0.rawValue < $1.rawValue } }
        let exit = RunExit.decide([run], expected: scenarios.map(\.id) + http2Cases.map(\.id), baseline: baseline)
        RunSummary.print(run, exit: baseline == nil ? exit : nil)
        if server.idlePeriod == nil, let idle = scenarios.first(where: { $0.checks.contains(.idle) }) {
            Console.out(
                "note: \(idle.id) kept the connection idle for \(RunParameters().idlePeriod.formatted) only (the default); "
                    + "--idle-period 60s checks a server's idle timeout for longer")
        }
        let directory = URL(fileURLWithPath: reportDirectory)
        do {
            let files = try ReportWriter.write(run, formats: try formats(), to: directory)
            if !files.isEmpty { Console.out("reports: \(files.count) files in \(directory.path)") }
        } catch let error as ReportWriter.ReportError {
            throw RunFailure(status: 2, message: "error: \(error)")
        }
        if let writeExpect {
            do {
                let accepted = Baseline(accepting: run)
                try Data(accepted.text(target: target).utf8).write(to: URL(fileURLWithPath: writeExpect), options: .atomic)
                Console.out("baseline: \(accepted.entries.count) entries written to \(writeExpect)")
            } catch {
                throw RunFailure(status: 2, message: "error: cannot write the baseline \(writeExpect): \(error.localizedDescription)")
            }
        }
        let capsules = results.compactMap(\.capsule)
        if let capsuleFolder, !capsules.isEmpty {
            Console.out("capsules: \(capsules.count) in \(capsuleFolder.directory.path) (wsspec replay FILE runs one again)")
        }
        if let baseline { BaselineSummary.print(baseline.compare(run), file: expect ?? "") }
        if let failure = capsuleFolder?.writeFailures.first {
            throw RunFailure(status: 2, message: "error: \(failure)")
        }
        try exit.end()
    }

    /// The built-in server: the reference server with a short keepalive clock, adjusted by the options.
    private var referenceConfiguration: EchoServerConfiguration {
        var configuration = EchoServerConfiguration.withQuickKeepalive
        if let value = server.pingInterval { configuration.pingInterval = value.duration }
        if let value = server.pongTimeout { configuration.pongTimeout = value.duration }
        if let value = server.closeTimeout { configuration.closeTimeout = value.duration }
        if let value = server.subprotocol { configuration.subprotocols = [value] }
        return configuration
    }

    private func baseParameters() -> RunParameters {
        var parameters = RunParameters()
        parameters.apply(server)
        return parameters
    }

    private func finishParameters(_ parameters: inout RunParameters) {
        parameters.apply(headers: headers, origin: origin)
        parameters.handshakeTimeout = handshakeTimeout.duration
        if fullLoad { parameters.roundTripBudget = .max }
    }

    private func parse(_ text: String) throws -> WebSocketURL {
        do {
            return try WebSocketURL(parsing: text)
        } catch {
            throw RunFailure.usage(error.description)
        }
    }

    private func runSimulated(
        _ scenarios: [ScenarioCase], _ http2Cases: [HTTP2Case], seed: UInt64, progress: Progress
    ) async -> (String, [CaseResult]) {
        var suite = InProcessSuite.referenceServer(referenceConfiguration)
        if http2PriorKnowledge {
            // The reference server behind the session host's own pipeline, HTTP/1.1 and HTTP/2 on one port, as live.
            let configuration = referenceConfiguration
            suite.server = InProcessSessionServer { EchoServer(configuration: configuration) }
            suite.connector = InProcessHTTP2Connector()
        }
        suite.parameters.apply(server)
        finishParameters(&suite.parameters)
        let target =
            "the reference server, in-process (simulated network, seed \(seed))" + (http2PriorKnowledge ? " over HTTP/2" : "")
        let section = HTTP2SectionRunner(parameters: suite.parameters, scheme: "http")
        guard let seeds, seeds > 1 else {
            var results = await suite.run(scenarios, seed: seed, jobs: jobs)
            results += await section.run(http2Cases, inProcess: suite.server, seed: seed, jobs: jobs)
            results.forEach(progress.record)
            return (target, results)
        }
        var (results, changes) = await suite.sweep(scenarios, seeds: seeds, jobs: jobs)
        results += await section.run(http2Cases, inProcess: suite.server, seed: seed, jobs: jobs)
        results.forEach(progress.record)
        progress.finish()
        Console.out(
            changes.isEmpty
                ? "no verdict changed across \(seeds) seeds"
                : "verdicts that change with the seed:\n" + changes.map { "  \($0)" }.joined(separator: "\n"))
        return (target, results)
    }

    private func runLive(
        _ scenarios: [ScenarioCase], _ http2Cases: [HTTP2Case], url: WebSocketURL, seed: UInt64, progress: Progress,
        parameters: RunParameters? = nil, capsules capsuleFolder: CapsuleFolder?
    ) async throws -> (String, [CaseResult]) {
        var parameters = parameters ?? baseParameters()
        finishParameters(&parameters)
        if insecure && !headers.isEmpty {
            Console.error("warning: --insecure sends the --header fields (credentials?) to a server whose certificate is not checked")
        }
        let trust: ClientTrust = insecure ? .insecure : caFile.map { .caFile($0) } ?? .system
        var suite: LiveSuite
        do {
            suite = try LiveSuite(
                url: url, parameters: parameters, trust: trust, connectTimeout: connectTimeout.duration, seed: seed,
                http2: http2 || http2PriorKnowledge)
        } catch {
            throw RunFailure.usage(error.description)
        }
        if !noProbe {
            do {
                try await suite.probe()
            } catch {
                throw RunFailure.unreachable(error.description)
            }
        }
        suite.capsules = capsuleFolder?.recorder(sources: source.capsuleSources())
        let ticker = Task { await progress.tick() }
        defer { ticker.cancel() }
        var results = await suite.run(
            scenarios, jobs: jobs, started: { [parameters] in progress.started($0, parameters: parameters) },
            progress: { progress.record($0) })
        results += await suite.runHTTP2Section(http2Cases, jobs: jobs) { progress.record($0) }
        return (suite.http2 ? "\(url) over HTTP/2" : url.description, results)
    }
}
