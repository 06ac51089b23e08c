import ArgumentParser
import ConformanceSuite
import ConversationFuzz
import Foundation
import LiveRun
import ReferenceServer
import Scenario
import WebSocketNIO

/// `wsspec shrink CAPSULE --url URL`: a fuzz finding made as small as the peer allows, written as a scenario file.
struct ShrinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shrink",
        abstract: "Shrink a fuzz finding against its server to a minimal scenario file that fails the same way.",
        discussion: """
            Drops turns (ddmin), then pings, fragments, split writes and payload bytes, then frames before the broken \
            rule; a smaller conversation counts only when it fails the same way (verdicts and rule) --reproductions \
            times in a row, after a probe shows the server healthy. Writes --output (a scenario file: wsspec run URL \
            --scenarios FILE reproduces it) and a capsule of the shrunk run beside it. Exit status: 0 written, 1 the \
            failure did not come again (nothing to shrink), 2 usage errors and a server that cannot be reached.
            """)

    @Argument(help: "A capsule of wsspec fuzz (REPORT-DIR/capsules/90.N.json).")
    var capsule: String

    @Option(help: "The server to shrink against: the one the finding came from.")
    var url: String

    @Option(help: "The scenario file to write (default: shrunk-ID.wsspec).")
    var output: String?

    @Option(help: "How many times in a row a smaller conversation must fail the same way to be kept.")
    var reproductions = 3

    @OptionGroup(title: "Reaching the server")
    var target: LiveTargetOptions

    func validate() throws {
        guard (1...20).contains(reproductions) else { throw ValidationError("--reproductions must be from 1 to 20") }
        if let output, !output.hasSuffix(".wsspec") { throw ValidationError("--output names a scenario file: FILE.wsspec") }
    }

    /// A candidate's case as the capsule's case ran (its deadline); nil if it does not render (a candidate that cannot
    /// run is never kept).
    static func prepared(_ candidate: Conversation, _ capsule: Capsule) -> ScenarioCase? {
        (try? candidate.scenario()).map(capsule.prepared)
    }

    func run() async throws {
        let capsule = try CapsuleFile.load(self.capsule)
        let conversation = try FuzzSource.conversation(in: capsule)
        let key = FindingKey.of(capsule.result)
        var suite = try await target.suite(for: capsule, at: self.url)
        let url = suite.url
        let runner = suite
        // The judge of every candidate: the reference server in-process, with the capsule's parameters.
        let reference = {
            var suite = InProcessSuite.referenceServer(EchoServerConfiguration.withQuickKeepalive)
            suite.parameters = capsule.parameters
            return suite
        }()
        let placeholder = try conversation.scenario()
        var shrinker = Shrinker(
            reproduce: { candidate in
                guard let scenario = Self.prepared(candidate, capsule) else { return .notRun(placeholder, reason: "did not render", seed: nil) }
                return await runner.run(scenario)
            },
            reference: { candidate in
                guard let scenario = Self.prepared(candidate, capsule) else { return .notRun(placeholder, reason: "did not render", seed: nil) }
                return await reference.runCase(scenario, seed: capsule.runSeed)
            },
            healthy: { (try? await runner.probe()) != nil })
        shrinker.reproductions = reproductions
        // A finding of a --strict run (a NON-STRICT verdict or an advisory) is shrunk as one.
        let strict = !capsule.result.fails(strict: false)
        shrinker.strict = strict
        shrinker.log = { Console.out("  \($0)") }
        Console.out("shrinking \(capsule.result.id) (\(conversation.frameCount) frames) against \(url): \(key)")
        let outcome: Shrinker.Outcome
        do {
            outcome = try await shrinker.shrink(conversation, key: key)
        } catch .unhealthy {
            throw RunFailure.unreachable(Shrinker.Failure.unhealthy.description)
        } catch {
            throw RunFailure(status: 1, message: "error: \(error)")
        }
        let file = URL(fileURLWithPath: output ?? "shrunk-\(capsule.result.id).wsspec")
        let shrunkText =
            (strict ? "# A finding under --strict (a SHOULD not followed): `wsspec run URL --scenarios FILE --strict` fails on it.\n" : "")
            + outcome.conversation.scenarioText
        let folder = file.deletingLastPathComponent()
        do {
            try Data(shrunkText.utf8).write(to: file, options: .atomic)
        } catch {
            throw RunFailure(status: 2, message: "error: cannot write \(file.path): \(error.localizedDescription)")
        }
        // A capsule of the shrunk run, beside the file.
        let capsuleFile = folder.appendingPathComponent(file.deletingPathExtension().lastPathComponent + ".capsule.json")
        suite.capsules = CapsuleRecorder(toolVersion: WSSpec.version, source: { _ in .scenarioFile(name: file.lastPathComponent, text: shrunkText) })
        {
            (try? $0.encoded().write(to: capsuleFile, options: .atomic)).map { capsuleFile.path }
        }
        let last = await suite.run(capsule.prepared(try outcome.conversation.scenario()))
        Console.out(
            "\(conversation.frameCount) frames → \(outcome.conversation.frameCount) in \(outcome.candidates) candidates (\(outcome.runs) runs); "
                + "wrote \(file.path)" + (last.capsule.map { " and \($0)" } ?? ""))
        Console.out(
            "wsspec run \(url) --scenarios \(file.path)\(strict ? " --strict" : "") reproduces it: \(last.verdict)/\(last.closeVerdict) "
                + (last.reasons.first ?? last.advisories.first?.description ?? ""))
    }
}
