import Foundation
import Testing
import WSSpecCommand
import WebSocketNIO
import WebSocketServer

extension LiveTests {
    @Suite("wsspec fuzz and shrink against live servers: exit status, findings, capsules, the shrunk file")
    struct FuzzLiveTests {
        static func run(_ arguments: [String]) async -> Int32 { await WSSpec.runAsMain(arguments) }

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
                let capsules = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("capsules").path).sorted()
                #expect(capsules.count == 3, "\(capsules)")
                let capsule = directory.appendingPathComponent("capsules/\(try #require(capsules.first))").path
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
