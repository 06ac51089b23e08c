import ArgumentParser
import ConformanceSuite
import Foundation
import LiveRun
import Scenario
import WebSocketNIO

/// `wsspec replay CAPSULE`: a failing case run again from its capsule, offline (the peer's recorded bytes played back
/// against the runner) or against a live server (`--url`), and whether the recorded failure came again.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run a failed case again from its capsule: offline from the recorded bytes, or against a server (--url).",
        discussion: """
            A live run writes a capsule per failing case (capsules/ID.json in its report directory): the case, its \
            parameters and seed, and every byte both ways with its time. Offline, the server's bytes play back at their \
            recorded times, so the grading can be checked with no server. With --url the case runs again, with the same \
            seed, against that server. Exit status as a run's: 0 when the replayed case passes, 1 when it fails, 2 for \
            a file that is not a capsule and a server that cannot be reached.
            """)

    @Argument(help: "Capsule files (capsules/ID.json of a report directory), or folders of them.")
    var capsules: [String]

    @Flag(
        help:
            "Check the replays instead: exit 0 when every one gives the recorded verdicts (offline, without leaving the recording), 1 when one does not."
    )
    var check = false

    @Option(help: "Run the case again against this ws:// or wss:// server instead of playing the recording back.")
    var url: String?

    @Flag(help: "NON-STRICT counts as a failure.")
    var strict = false

    @OptionGroup(title: "Reaching the server (with --url)")
    var target: LiveTargetOptions

    func validate() throws {
        if capsules.isEmpty { throw ValidationError("name at least one capsule file or folder") }
        if url == nil && target.given { throw ValidationError("--insecure and --ca-file are for --url") }
    }

    func run() async throws {
        let files = try capsuleFiles()
        var failing = 0, differing = 0
        for file in files {
            let replay = try await replay(file)
            if replay.replayed.fails(strict: strict) { failing += 1 }
            if !replay.reproduced || (url == nil && replay.divergence != nil) { differing += 1 }
        }
        if files.count > 1 {
            Console.out(
                "\(files.count) capsules replayed \(url == nil ? "offline" : "against \(url ?? "")"): \(files.count - differing) gave the recorded verdicts, "
                    + "\(differing) did not; \(failing) fail\(failing == 1 ? "s" : "")")
        }
        if check ? differing > 0 : failing > 0 { throw ExitCode(1) }
    }

    /// The files named, folders read for their `*.json` (in name order); an empty folder is a usage error.
    private func capsuleFiles() throws -> [String] {
        var files: [String] = []
        for path in capsules {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".json") }.sorted()
            } catch {
                throw RunFailure.usage("cannot read the folder \(path): \(error.localizedDescription)")
            }
            if names.isEmpty { throw RunFailure.usage("\(path) holds no capsule (*.json)") }
            files += names.map { URL(fileURLWithPath: path).appendingPathComponent($0).path }
        }
        return files
    }

    /// Replays one capsule and says how it went.
    private func replay(_ file: String) async throws -> CapsuleReplay {
        let capsule = try CapsuleFile.load(file)
        let scenario = try capsule.prepared(CapsuleFile.scenario(of: capsule))
        let recorded = capsule.result
        Console.out(
            "capsule \(recorded.id) (\(recorded.title)): recorded against \(capsule.target) by wsspec \(capsule.toolVersion), run seed \(capsule.runSeed)"
        )
        Console.out("  recorded: \(Self.line(recorded))")
        let replay: CapsuleReplay
        if let url {
            replay = try await replayLive(capsule, scenario, url: url)
            Console.out("  replayed against \(url): \(Self.line(replay.replayed))")
        } else {
            guard capsule.tape.complete else {
                throw RunFailure.usage(
                    "\(file): the tape kept only its first \(Capsule.tapeByteLimit >> 20) MiB, so it cannot be played back; run the case again with --url"
                )
            }
            replay = await capsule.replay(scenario)
            Console.out("  replayed offline: \(Self.line(replay.replayed))")
        }
        if let divergence = replay.divergence {
            Console.out(
                "  note: the playback left the recording: \(divergence) (a wsspec other than \(capsule.toolVersion), or a case changed since?)")
        }
        Console.out(
            replay.reproduced
                ? "  the same verdicts: \(Capsule.failureKey(replay.replayed))"
                : "  not the same: recorded \(Capsule.failureKey(recorded)), replayed \(Capsule.failureKey(replay.replayed))")
        return replay
    }

    private static func line(_ result: CaseResult) -> String {
        "\(result.verdict)/\(result.closeVerdict)" + (result.reasons.isEmpty ? "" : ": " + result.reasons.joined(separator: " "))
    }

    private func replayLive(_ capsule: Capsule, _ scenario: ScenarioCase, url text: String) async throws -> CapsuleReplay {
        let suite = try await target.suite(for: capsule, at: text)
        return CapsuleReplay(recorded: capsule.result, replayed: await suite.run(scenario), divergence: nil)
    }
}
