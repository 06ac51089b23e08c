import ArgumentParser
import ConformanceReport
import ConformanceSuite
import Foundation
import Scenario
import WebSocketNIO

/// `wsspec run-client --exec 'CMD {url}'`: the client-role cases against a client program, started once per case
/// with that case's URL (h2spec's client tester works the same way); `--sim`: against the built-in client,
/// in-process on the simulated network. Exits like `wsspec run`.
struct RunClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-client",
        abstract: "Run the client-role cases against a WebSocket client program started once per case (or the built-in client, --sim).",
        discussion: """
            The command runs under /bin/sh once per case, with {url} replaced by the case's URL \
            (ws://127.0.0.1:PORT/runCase/ID/AGENT/TOKEN, TOKEN a random one per run so that no other connection can add results; it needs no quoting) and WSSPEC_URL and WSSPEC_CASE in its \
            environment. It must connect, echo every message it receives (text as text, binary as binary) and exit \
            once the connection is closed. A client still running at its case's deadline is stopped (its process \
            group: SIGTERM, then SIGKILL); a case it never connected for FAILED. Each client's output goes to \
            REPORT-DIR/client-logs/ID.log.
            With --sim, the built-in client (EchoClient, offering permessage-deflate) runs \
            in-process over the simulated network on virtual time, deterministic per --seed.
            Exit status: 0 when no case FAILED; 1 when one did; 2 for usage errors and for a command that never \
            opened the first case's URL.
            """)

    @Option(help: ArgumentHelp("The client command; {url} stands for the case's URL.", valueName: "command"))
    var exec: String?

    @Flag(help: "Run the built-in client in-process over the simulated network instead of a command.")
    var sim = false

    @Option(help: "With --sim: the run seed (the network's segmentation and delays, mask keys).")
    var seed: UInt64 = 0

    @Option(help: "Cases to run, comma-separated globs (wsspec list --role client names them).")
    var cases: String?

    @Option(help: "Cases to leave out, comma-separated globs.")
    var exclude: String?

    @Option(help: "How many clients run at once.")
    var jobs = 4

    @Option(
        name: .customLong("case-timeout"),
        help: "The most time one client process may run (default: its case's own deadline plus the closing handshake's, plus 10 s to start).")
    var caseTimeout: DurationArgument?

    @Option(name: .customLong("report-dir"), help: "Where the reports go; files of an earlier run there are replaced.")
    var reportDirectory = "Reports/clients"

    @Option(help: "Report formats, comma-separated: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format = ReportFormat.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "The name the results are filed under (letters, digits, '.', '_' and '-').")
    var agent = "client"

    @Flag(help: "NON-STRICT counts as a failure.")
    var strict = false

    func validate() throws {
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be from 1 to 64") }
        guard (exec == nil) != !sim else { throw ValidationError("give either --exec COMMAND or --sim") }
        if let exec, exec.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--exec needs a command") }
        guard !agent.isEmpty,
            agent.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) })
        else { throw ValidationError("--agent may hold only letters, digits, '.', '_' and '-' (it goes into the case URL)") }
        _ = try ReportFormats.parse(format)
        guard !selected.isEmpty else { throw ValidationError("no client-role case matches --cases \(cases ?? "*")") }
    }

    var selected: [ScenarioCase] {
        let selection = CaseSelection(cases: cases, exclude: exclude)
        var chosen = Catalog.clientRole.filter { selection.contains($0.id) }
        if let caseTimeout {
            for index in chosen.indices { chosen[index].deadline = min(chosen[index].deadline, caseTimeout.duration) }
        }
        return chosen
    }

    func run() async throws {
        let formats = try ReportFormats.parse(format)
        let scenarios = selected
        let directory = URL(fileURLWithPath: reportDirectory)
        let startedAt = Date()
        let clock = ContinuousClock()
        let began = clock.now
        let progress = Progress(total: scenarios.count, strict: strict)
        let target: String
        let results: [CaseRecord]
        if let exec {
            target = "the client command \(Self.program(of: exec)) (its arguments are not recorded: they may hold secrets)"
            results = try await runCommand(exec, scenarios, directory: directory, progress: progress)
        } else {
            target = "the built-in client, in-process (simulated network, seed \(seed))"
            let suite = InProcessClientSuite { transport in await EchoClient(seed: seed).run(over: transport) }
            let finished = await suite.run(scenarios, seed: seed, jobs: jobs)
            finished.forEach(progress.record)
            results = finished
        }
        progress.finish()

        var run = ConformanceRun(
            agent: agent, target: target, startedAt: startedAt, duration: clock.now - began,
            seed: seed, strict: strict, records: results)
        run.role = .server
        let exit = RunExit.decide([run], expected: scenarios.map(\.id))
        RunSummary.print(run, exit: exit)
        do {
            let files = try ReportWriter.write(run, formats: formats, to: directory)
            if !files.isEmpty { Console.out("reports: \(files.count) files in \(directory.path)") }
        } catch {
            throw RunFailure(status: 2, message: "error: \(error)")
        }
        try exit.end()
    }

    /// Each case against a process of `command`, behind the case server on a loopback port.
    private func runCommand(_ command: String, _ scenarios: [ScenarioCase], directory: URL, progress: Progress) async throws -> [CaseRecord] {
        let logs = directory.appendingPathComponent("client-logs")
        do {
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        } catch {
            throw RunFailure.usage("cannot create \(logs.path): \(error.localizedDescription)")
        }
        let parameters = RunParameters()
        let token = (0..<2).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined(separator: "-")
        let api = CaseServerAPI(cases: scenarios, parameters: parameters, access: .runClient(agent: agent, token: token), writeReports: { _ in })
        let server: TransportServer
        do {
            server = try await TransportServer.start(host: "127.0.0.1", port: 0, limits: .caseServer) { transport in await api.serve(transport) }
        } catch {
            throw RunFailure.unreachable("cannot listen on 127.0.0.1: \(error)")
        }
        let runner = ClientCaseRunner(
            command: command, agent: agent, token: token, port: server.port, logs: logs, parameters: parameters,
            processTimeout: caseTimeout?.duration, results: api.results)

        // The first case alone: a command that cannot run, or never connects, is a usage error, not 300 failures.
        let probe = await runner.run(scenarios[0])
        if !probe.connected {
            await server.stop()
            throw RunFailure(
                status: 2,
                message: "error: the client command never opened the case URL \(probe.url) "
                    + "(\(probe.ending)); its output (\(probe.log.path)):\n\(Self.tail(of: probe.log))")
        }
        progress.record(probe.result)
        let ticker = Task { await progress.tick() }
        // Each case's result is the one its own client's connection produced (or FAILED when it never connected).
        let rest = await ParallelCases.run(Array(scenarios.dropFirst()), jobs: jobs, progress: { progress.record($0) }) { scenario in
            await runner.run(scenario).result
        }
        ticker.cancel()
        await server.stop()
        return ([probe.result] + rest)
    }

    /// The command's first word, the program: all of the command line that reports keep.
    static func program(of command: String) -> String {
        let first = command.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.map(String.init) ?? ""
        return first.contains("=") ? "(a command with environment assignments)" : String(first.prefix(100))
    }

    /// The last lines of a client's log (it is the client's own text: Console makes it inert).
    static func tail(of log: URL, lines: Int = 10) -> String {
        // The last 4 KiB, read with POSIX calls: the log may be long, and Foundation's whole-file read leaks a
        // buffer here (LeakSanitizer saw it).
        let descriptor = open(log.path, O_RDONLY)
        guard descriptor >= 0 else { return "  (nothing)" }
        defer { close(descriptor) }
        let size = lseek(descriptor, 0, SEEK_END)
        var bytes = [UInt8](repeating: 0, count: Int(min(max(size, 0), 4096)))
        let count = bytes.isEmpty ? 0 : pread(descriptor, &bytes, bytes.count, max(size - off_t(bytes.count), 0))
        guard count > 0 else { return "  (nothing)" }
        let text = String(decoding: bytes.prefix(count), as: UTF8.self)
        return text.split(separator: "\n").suffix(lines).map { "  " + $0 }.joined(separator: "\n")
    }
}
