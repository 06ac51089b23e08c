import Foundation
import Testing
import WSSpecCommand
import WebSocketNIO
import WebSocketServer

extension LiveTests {
    @Suite("wsspec fuzz and shrink against live servers: exit status, findings, capsules, the shrunk file")
    struct FuzzLiveTests {
        static func run(_ arguments: [String]) async -> Int32 { await WSSpec.runAsMain(arguments) }

        /// A run's capsules, sorted, and the path of the first.
        static func capsules(in directory: URL) throws -> (names: [String], first: String) {
            let folder = directory.appendingPathComponent("capsules")
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            return (names, folder.appendingPathComponent(try #require(names.first)).path)
        }

        static func summary(_ directory: URL) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("fuzz.json"))) as? [String: Any])
        }

        @Test func theReferenceServerGivesNoFinding() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            try await withServer({ try await SessionServer.referenceServer(.withQuickKeepalive) }) { server in
                #expect(
                    await Self.run(["fuzz", server.url().description, "--count", "60", "--seed", "3", "--jobs", "4", "--report-dir", directory.path])
                        == 0)
            }
            let summary = try Self.summary(directory)
            #expect(summary["tried"] as? Int == 60 && summary["findings"] as? Int == 0)
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("capsules").path))
        }

        @Test func aDefectIsFoundShrunkAndReproducedByItsScenarioFile() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            // The markup server sends a message of its own and closes: any conversation shows it.
            try await withServer({ try await SessionServer.start { HostileBehaviour.injectsMarkup.makeSession() } }) { server in
                let url = server.url().description
                #expect(
                    await Self.run(["fuzz", url, "--count", "20", "--seed", "3", "--jobs", "4", "--max-capsules", "3", "--report-dir", directory.path]
                    )
                        == 1)
                let summary = try Self.summary(directory)
                // Nearly every conversation (one that only closes may pass: the server's close comes first).
                #expect(summary["tried"] as? Int == 20 && (summary["findings"] as? Int ?? 0) >= 15)
                let (capsules, capsule) = try Self.capsules(in: directory)
                #expect(capsules.count == 3, "\(capsules)")
                #expect(await Self.run(["replay", capsule, "--check"]) == 0)
                let output = directory.appendingPathComponent("shrunk.wsspec").path
                #expect(await Self.run(["shrink", capsule, "--url", url, "--output", output, "--reproductions", "2"]) == 0)
                let text = try String(contentsOfFile: output, encoding: .utf8)
                #expect(text.contains("case 90."), "\(text)")
                #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("shrunk.capsule.json").path))
                #expect(await Self.run(["run", url, "--scenarios", output, "--report-dir", directory.appendingPathComponent("again").path]) == 1)
                // A catalog case's capsule is not a conversation: shrink says so.
                #expect(await Self.run(["run", url, "--cases", "1.1.1", "--report-dir", directory.appendingPathComponent("catalog").path]) == 1)
                #expect(await Self.run(["shrink", directory.appendingPathComponent("catalog/capsules/1.1.1.json").path, "--url", url]) == 2)
            }
        }

        /// A deliberately hostile server: one of the Swift sessions that upgrade and then misbehave, or a mode of
        /// `Tests/Hostile/hostile_server.py`.
        enum HostileServer: CustomStringConvertible, Sendable {
            case session(HostileBehaviour)
            case python(String)

            static let all: [HostileServer] =
                [.floods, .pingsWithoutEnd, .announcesAnExabyteFrame, .resetsTheConnection].map(Self.session)
                + ["flood", "pings", "fragments", "huge", "empty", "bomb"].map(Self.python)

            var description: String {
                switch self {
                case .session(let behaviour): "\(behaviour)"
                case .python(let mode): "hostile_server.py \(mode)"
                }
            }

            /// Serves on loopback for the length of `body`.
            func serve(_ body: (String) async throws -> Void) async throws {
                switch self {
                case .session(let behaviour):
                    try await withServer({ try await SessionServer.start { behaviour.makeSession() } }) { try await body($0.url().description) }
                case .python(let mode):
                    let directory = temporaryDirectory()
                    defer { try? FileManager.default.removeItem(at: directory) }
                    let portFile = directory.appendingPathComponent("port")
                    try #require(FileManager.default.createFile(atPath: portFile.path, contents: nil))
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Hostile/hostile_server.py")
                    process.arguments = ["python3", "-u", script.path, mode]
                    process.standardOutput = try FileHandle(forWritingTo: portFile)
                    process.standardError = FileHandle.nullDevice
                    try process.run()
                    // The server prints its port once it listens (an external process: no event to wait on).
                    var port: Int?
                    let end = ContinuousClock.now + .seconds(10)
                    while port == nil && process.isRunning && ContinuousClock.now < end {
                        try await Task.sleep(for: .milliseconds(20))
                        port = Int(((try? String(contentsOf: portFile, encoding: .utf8)) ?? "").split(separator: "\n").first ?? "")
                    }
                    let outcome: Result<Void, any Error>
                    do {
                        try await body("ws://127.0.0.1:\(try #require(port, "hostile_server.py \(mode) did not start"))/")
                        outcome = .success(())
                    } catch {
                        outcome = .failure(error)
                    }
                    // SIGKILL: a child inherits the test process's blocked signals (the server unblocks SIGTERM, but need not be trusted to).
                    kill(process.processIdentifier, SIGKILL)
                    while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
                    try outcome.get()
                }
            }
        }

        /// The planted defects of the hostile servers: fuzzing finds each within 60 s, and shrinking ends at a case of
        /// at most 3 frames, which `wsspec run --scenarios` reproduces.
        @Test(arguments: HostileServer.all)
        func aHostileServerIsFoundAndShrunk(_ hostile: HostileServer) async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            try await hostile.serve { url in
                let started = ContinuousClock.now
                let status = await Self.run([
                    "fuzz", url, "--count", "30", "--stop-after", "1", "--seed", "3", "--jobs", "2", "--report-dir", directory.path
                ])
                let took = ContinuousClock.now - started
                #expect(status == 1 && took < .seconds(60), "\(hostile): status \(status) after \(took)")
                let capsule = try Self.capsules(in: directory).first
                let output = directory.appendingPathComponent("shrunk.wsspec").path
                #expect(await Self.run(["shrink", capsule, "--url", url, "--output", output, "--reproductions", "2"]) == 0)
                let text = try String(contentsOfFile: output, encoding: .utf8)
                let frames = text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("send ") }
                #expect(frames.count <= 3, "\(hostile): \(text)")
                let again = await Self.run(["run", url, "--scenarios", output, "--report-dir", directory.appendingPathComponent("again").path])
                #expect(again == 1, "\(hostile): run --scenarios exits \(again)")
                print("\(hostile): found after \(took), shrunk to \(frames.count) frames")
            }
        }

        /// A server that never completes an opening handshake is no WebSocket endpoint: nothing is fuzzed, status 2
        /// (never 0, "nothing found").
        @Test(arguments: [HostileBehaviour.answersGarbage, .closesMidHandshake])
        func aServerThatNeverUpgradesIsNotFuzzed(_ behaviour: HostileBehaviour) async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            try await withServer({ try await SessionServer.start { behaviour.makeSession() } }) { server in
                #expect(await Self.run(["fuzz", server.url().description, "--count", "5", "--report-dir", directory.path]) == 2)
            }
        }

        /// An advisory is a finding only under --strict: without it no capsule is kept for one; with it the finding is
        /// shrunk under --strict, and its file says that it fails a run only with --strict.
        @Test func anAdvisoryIsAFindingOnlyUnderStrict() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            try await withServer({ try await SessionServer.start { HostileBehaviour.resetsTheConnection.makeSession() } }) { server in
                let url = server.url().description
                let lenient = directory.appendingPathComponent("lenient")
                // Conversation 1 of seed 3 breaks a rule, and the server resets instead of sending a close frame.
                #expect(await Self.run(["fuzz", url, "--count", "1", "--seed", "3", "--report-dir", lenient.path]) == 0)
                #expect(!FileManager.default.fileExists(atPath: lenient.appendingPathComponent("capsules").path))
                let strict = directory.appendingPathComponent("strict")
                #expect(await Self.run(["fuzz", url, "--count", "1", "--seed", "3", "--strict", "--report-dir", strict.path]) == 1)
                let output = directory.appendingPathComponent("shrunk.wsspec").path
                let capsule = strict.appendingPathComponent("capsules/90.1.json").path
                #expect(await Self.run(["shrink", capsule, "--url", url, "--output", output, "--reproductions", "1"]) == 0)
                let text = try String(contentsOfFile: output, encoding: .utf8)
                #expect(text.contains("--strict"), "\(text)")
                #expect(await Self.run(["run", url, "--scenarios", output, "--report-dir", directory.appendingPathComponent("a").path]) == 0)
                #expect(
                    await Self.run(["run", url, "--scenarios", output, "--strict", "--report-dir", directory.appendingPathComponent("b").path]) == 1)
            }
        }

        /// Over HTTP/2 (h2c, RFC 8441 extended CONNECT) the reference server gives no finding; the flags are checked
        /// against the URL.
        @Test func fuzzingOverHTTP2() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            try await withServer({ try await SessionServer.referenceServer(.withQuickKeepalive) }) { server in
                let url = server.url().description
                #expect(
                    await Self.run([
                        "fuzz", url, "--http2-prior-knowledge", "--count", "60", "--seed", "3", "--jobs", "4", "--report-dir", directory.path
                    ]) == 0)
                let summary = try Self.summary(directory)
                #expect(summary["tried"] as? Int == 60 && summary["findings"] as? Int == 0, "\(summary)")
                #expect((summary["target"] as? String)?.hasSuffix("over HTTP/2") == true, "\(summary)")
                #expect(await Self.run(["fuzz", url.replacingOccurrences(of: "ws:", with: "wss:"), "--http2-prior-knowledge"]) == 2)
                #expect(await Self.run(["fuzz", url, "--http2"]) == 2)
                #expect(await Self.run(["fuzz", "--sim", "--http2-prior-knowledge"]) == 2)
            }
            // A finding over HTTP/2 is a capsule of an HTTP/2 run, which shrinks over HTTP/2, and on a ws:// URL only.
            let found = directory.appendingPathComponent("found")
            try await withServer({ try await SessionServer.start { HostileBehaviour.injectsMarkup.makeSession() } }) { server in
                let url = server.url().description
                #expect(
                    await Self.run([
                        "fuzz", url, "--http2-prior-knowledge", "--count", "5", "--stop-after", "1", "--seed", "3", "--report-dir", found.path
                    ]) == 1)
                let capsule = try Self.capsules(in: found).first
                let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: capsule))) as? [String: Any])
                #expect(json["http2Scheme"] as? String == "http")
                let output = directory.appendingPathComponent("shrunk.wsspec").path
                #expect(await Self.run(["shrink", capsule, "--url", url, "--output", output, "--reproductions", "1"]) == 0)
                #expect(await Self.run(["shrink", capsule, "--url", url.replacingOccurrences(of: "ws:", with: "wss:"), "--output", output]) == 2)
            }
        }

        @Test func fuzzingInProcessAndItsUsageErrors() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            #expect(await Self.run(["fuzz", "--sim", "--count", "40", "--seed", "9", "--report-dir", directory.path]) == 0)
            #expect(try Self.summary(directory)["tried"] as? Int == 40)
            #expect(await Self.run(["fuzz", "--count", "5"]) == 2)
            #expect(await Self.run(["fuzz", "--sim", "ws://127.0.0.1:1/"]) == 2)
            #expect(await Self.run(["fuzz", "--sim", "--count", "0"]) == 2)
            #expect(await Self.run(["fuzz", "--sim", "--rate", "-1"]) == 2)
            #expect(await Self.run(["fuzz", "ws://127.0.0.1:1/", "--count", "5", "--report-dir", directory.path]) == 2)
            #expect(await Self.run(["fuzz", "http://127.0.0.1/", "--count", "5", "--report-dir", directory.path]) == 2)
        }
    }
}
