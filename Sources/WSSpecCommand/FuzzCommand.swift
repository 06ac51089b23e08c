import ArgumentParser
import ConformanceReport
import ConformanceSuite
import ConversationFuzz
import Foundation
import LiveRun
import ReferenceServer
import Scenario
import WebSocketNIO

/// `wsspec fuzz URL`: seeded conversations the catalog does not hold, each judged as a case of its own; what a
/// conforming peer may do is what the reference implementation's grading accepts. Findings are capsules.
struct FuzzCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Fuzz a server with seeded conversations; every one it answers wrongly is a finding, kept as a capsule.",
        discussion: """
            Conversations: text and binary messages of sizes across the frame-length encodings, fragmented at random \
            points, with pings between fragments, writes split at random points, compressed round trips with and without \
            context takeover, closes between fragments, and in a share of them one broken rule at the end. Each runs as \
            a case of a scenario file and is judged as the catalog's cases are; the same seed gives the same \
            conversations. Findings go to REPORT-DIR/capsules/ (wsspec replay, wsspec shrink). Exit status: 0 nothing \
            found, 1 something found, 2 usage errors, a server that cannot be reached, and a run in which nothing ran.
            """)

    @Argument(help: "The ws:// or wss:// URL of the server under test (or --sim).")
    var url: String?

    @Flag(help: "Fuzz the built-in reference server in-process on the simulated network (virtual time) instead.")
    var sim = false

    @Option(help: "Stop after this long, e.g. 60s (default: 60s unless --count is given).")
    var duration: DurationArgument?

    @Option(help: "Stop after this many conversations.")
    var count: Int?

    @Option(help: "The run seed: conversation N of a seed is always the same conversation.")
    var seed: UInt64?

    @Option(help: "How many conversations run at once, each on its own connection.")
    var jobs = 4

    @Option(help: "Start at most this many conversations a second (a server with a rate limit).")
    var rate: Double?

    @Option(name: .customLong("report-dir"), help: "Where the reports and capsules go; files of an earlier run there are replaced.")
    var reportDirectory = "Reports/fuzz"

    @Option(name: .customLong("stop-after"), help: "Stop once this many findings are in (e.g. 1: the first).")
    var stopAfter: Int?

    @Option(name: .customLong("max-capsules"), help: "The most capsules written; further findings are counted.")
    var maxCapsules = 100

    @Flag(help: "NON-STRICT counts as a finding.")
    var strict = false

    @OptionGroup(title: "Reaching the server")
    var target: LiveTargetOptions

    @OptionGroup(title: "HTTP/2")
    var http2Options: HTTP2Options

    @OptionGroup(title: "What the server does")
    var server: ServerBehaviourOptions

    func validate() throws {
        if sim == (url != nil) { throw ValidationError("give the URL of a server, or --sim for the built-in one in-process") }
        if sim && http2Options.enabled {
            throw ValidationError("fuzz --sim runs on the simulated network over HTTP/1.1: fuzzing over HTTP/2 takes a server's URL")
        }
        try http2Options.validate(url: url)
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be from 1 to 256") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if let duration, duration.duration <= .zero { throw ValidationError("--duration must be more than 0s") }
        if let rate, !(rate > 0 && rate.isFinite) { throw ValidationError("--rate must be a positive number of conversations a second") }
        if let stopAfter, stopAfter < 1 { throw ValidationError("--stop-after must be at least 1") }
        guard maxCapsules >= 0 else { throw ValidationError("--max-capsules must not be negative") }
    }

    func run() async throws {
        let runSeed = seed ?? UInt64.random(in: 1...UInt64(UInt32.max))
        let generator = FuzzSource.generator(
            seed: runSeed, deflate: !server.withoutFeatures.contains(.permessageDeflate), http2: http2Options.enabled)
        var fuzz = FuzzRun(generator: generator)
        fuzz.count = count
        fuzz.duration = duration?.duration ?? (count == nil ? .seconds(60) : nil)
        fuzz.jobs = jobs
        fuzz.rate = rate
        fuzz.strict = strict
        fuzz.stopAfterFindings = stopAfter
        let folder = try CapsuleFolder(reportDirectory: reportDirectory, limit: maxCapsules)
        let recorder = {
            var recorder = folder.recorder { [generator] id in FuzzSource.source(of: id, generator: generator) }
            // A capsule per finding: an advisory is one only under --strict.
            recorder.strict = strict
            return recorder
        }()
        let target: String
        let runCase: @Sendable (Conversation, ScenarioCase) async -> CaseResult
        if sim {
            let suite = referenceRun(seed: runSeed)
            target = "the reference server, in-process (simulated network, seed \(runSeed))"
            runCase = { [suite] _, scenario in await suite.runRecorded(scenario, seed: runSeed, recorder: recorder, target: target) }
        } else {
            var suite = try await liveSuite(seed: runSeed)
            suite.capsules = recorder
            target = suite.url.description + (suite.http2 ? " over HTTP/2" : "")
            runCase = { [suite] _, scenario in await suite.run(scenario) }
        }
        Console.out("fuzzing \(target), seed \(runSeed)")
        let clock = ContinuousClock()
        let began = clock.now
        let status = FuzzStatus()
        let reference = referenceRun(seed: runSeed)
        // Under --sim the peer is the reference server: no second opinion to ask.
        var judge: (@Sendable (Conversation, ScenarioCase) async -> CaseResult)?
        if !sim { judge = { _, scenario in await reference.runCase(scenario, seed: runSeed) } }
        let outcome = await fuzz.run(runCase, reference: judge) { status.show($0, elapsed: clock.now - began) }
        status.finish()
        try report(outcome, target: target, seed: runSeed, duration: clock.now - began, folder: folder)
    }

    /// The reference server in-process, with the run's parameters: the fuzzed peer under --sim, and the judge of every
    /// live finding (a conversation it fails too has wrong expectations, not a finding).
    private func referenceRun(seed: UInt64) -> InProcessSuite {
        var suite = InProcessSuite.referenceServer(EchoServerConfiguration.withQuickKeepalive)
        suite.parameters.apply(server)
        return suite
    }

    private func liveSuite(seed: UInt64) async throws -> LiveSuite {
        var parameters = RunParameters()
        parameters.apply(server)
        return try await self.target.suite(url ?? "", parameters: parameters, seed: seed, http2: http2Options.enabled)
    }

    private func report(_ outcome: FuzzRun.Outcome, target: String, seed: UInt64, duration: Duration, folder: CapsuleFolder) throws {
        guard outcome.tried > 0 else { throw RunFailure(status: 2, message: "error: no conversation ran") }
        let rate = Double(outcome.tried) / max(0.001, Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18)
        Console.out(
            "\(outcome.tried) conversations in \(duration.secondsText) s (\(Int(rate.rounded())) a second): \(outcome.findingCount) findings"
                + (outcome.unimplemented > 0 ? "; \(outcome.unimplemented) the server could not take (UNIMPLEMENTED)" : ""))
        if outcome.refuted > 0 {
            Console.out(
                "note: \(outcome.refuted) conversations failed against the reference server in-process too, so they are no finding; "
                    + "their expectations are wrong, a wsspec bug worth reporting (\(outcome.refutedIDs.map(\.rawValue).joined(separator: ", ")))")
        }
        for (key, count) in outcome.byKey.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }) {
            let first = outcome.findings.first { FindingKey.of($0) == key }
            Console.out("  \(count) × \(key)" + (first.map { " (first: \($0.id), \($0.title))" } ?? ""))
        }
        let run = ConformanceRun(
            agent: "fuzz", target: target, startedAt: Date(), duration: duration, seed: seed, strict: strict, results: outcome.findings)
        do {
            try ReportWriter.write(run, formats: Set(ReportFormat.allCases), to: URL(fileURLWithPath: reportDirectory))
        } catch {
            throw RunFailure(status: 2, message: "error: \(error)")
        }
        // The findings by key, for scripts (the peer matrix's golden lists of known findings).
        let summary: [String: Any] = [
            "target": target, "seed": seed, "tried": outcome.tried, "findings": outcome.findingCount,
            "unimplemented": outcome.unimplemented, "byKey": outcome.byKey
        ]
        do {
            let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys, .prettyPrinted])
            try data.write(to: URL(fileURLWithPath: reportDirectory).appendingPathComponent("fuzz.json"), options: .atomic)
        } catch {
            throw RunFailure(status: 2, message: "error: cannot write \(reportDirectory)/fuzz.json: \(error.localizedDescription)")
        }
        if let failure = folder.writeFailures.first { throw RunFailure(status: 2, message: "error: \(failure)") }
        if let capsule = outcome.findings.compactMap(\.capsule).first {
            Console.out(
                "capsules in \(folder.directory.path); to shrink one: wsspec shrink \(reportDirectory)/\(capsule)"
                    + (sim ? " --sim" : " --url \(url ?? "")"))
        }
        if outcome.findingCount > 0 { throw ExitCode(1) }
    }
}

/// Where a fuzzed conversation is defined, for its capsule: a scenario file named after the run's seed and the
/// conversation's number (`fuzz-SEED-N.wsspec`), which `wsspec shrink` regenerates the conversation from.
enum FuzzSource {
    /// The generator of a run, from its seed and what the server takes: no permessage-deflate offer under `--without
    /// permessage-deflate`, and no broken opening request over HTTP/2, whose extended CONNECT has none of those fields.
    static func generator(seed: UInt64, deflate: Bool, http2: Bool) -> ConversationGenerator {
        var generator = ConversationGenerator(seed: seed)
        generator.deflate = deflate
        if http2 { generator.flawedOpeningShare = 0 }
        return generator
    }

    static func source(of id: CaseID, generator: ConversationGenerator) -> Capsule.Source {
        guard id.components.count == 2, id.components[0] == ConversationGenerator.section else { return .catalog }
        let conversation = generator.conversation(id.components[1])
        return .scenarioFile(name: "fuzz-\(generator.seed)-\(id.components[1]).wsspec", text: conversation.scenarioText)
    }

    /// The conversation a fuzz capsule holds, regenerated and checked against the text the capsule carries.
    static func conversation(in capsule: Capsule) throws -> Conversation {
        guard case .scenarioFile(let name, let text) = capsule.source, name.hasPrefix("fuzz-"), name.hasSuffix(".wsspec") else {
            throw RunFailure.usage("the capsule is not of a fuzzed conversation (wsspec fuzz writes those); shrink takes only them")
        }
        let parts = name.dropFirst("fuzz-".count).dropLast(".wsspec".count).split(separator: "-")
        guard parts.count == 2, let seed = UInt64(parts[0]), let number = Int(parts[1]), number > 0 else {
            throw RunFailure.usage("the capsule's scenario file \(name) is not named as wsspec fuzz names them")
        }
        let generator = Self.generator(
            seed: seed, deflate: !capsule.parameters.without.contains(.permessageDeflate), http2: capsule.http2Scheme != nil)
        let conversation = generator.conversation(number)
        guard conversation.scenarioText == text else {
            throw RunFailure.usage("the capsule's conversation is not the one this wsspec generates for seed \(seed), number \(number)")
        }
        return conversation
    }
}

/// The fuzz run's progress: a live line on a terminal, a line every ten seconds on a log.
final class FuzzStatus: Sendable {
    private let live = Console.errorIsTerminal
    private let lastLine = NSLock()
    nonisolated(unsafe) private var shownAt: Duration = .zero

    func show(_ outcome: FuzzRun.Outcome, elapsed: Duration) {
        let line = "fuzz: \(outcome.tried) conversations, \(outcome.findingCount) findings, \(elapsed.secondsText) s"
        if live { return Console.status(line) }
        let due = lastLine.withLock {
            guard elapsed - shownAt >= .seconds(10) else { return false }
            shownAt = elapsed
            return true
        }
        if due { Console.error(line) }
    }

    func finish() { if live { Console.status("") } }
}
