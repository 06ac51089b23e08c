import ConformanceReport
import ConformanceSuite
import Foundation
import ReferenceServer
import Scenario
import Testing
import WSSpecCommand
import WebSocketNIO
import WebSocketServer

extension LiveTests {
    @Suite("Failure capsules of live runs, and wsspec replay offline and live")
    struct CapsuleReplayLiveTests {
        static func run(_ arguments: [String]) async -> Int32 { await WSSpec.runAsMain(arguments) }

        /// Servers whose failing cases take different paths: the reference server told it speaks a subprotocol it
        /// does not (NON-STRICT at the handshake, failing under --strict), a server that sends a message of its own
        /// and closes (FAILED on echoes, pings and closes), the same over HTTP/2 (the extended CONNECT's header lists
        /// are on the tape), and one that resets the connection after the upgrade.
        enum Server: String, CaseIterable, Sendable {
            case misdescribedReference, injectsMarkup, injectsMarkupOverHTTP2, resetsTheConnection

            func start() async throws -> SessionServer {
                switch self {
                case .misdescribedReference: try await SessionServer.referenceServer(.withQuickKeepalive)
                case .injectsMarkup, .injectsMarkupOverHTTP2: try await SessionServer.start { HostileBehaviour.injectsMarkup.makeSession() }
                case .resetsTheConnection: try await SessionServer.start { HostileBehaviour.resetsTheConnection.makeSession() }
                }
            }

            var arguments: [String] {
                ["--strict", "--seed", "11", "--jobs", "8", "--handshake-timeout", "2s"]
                    + (self == .injectsMarkupOverHTTP2 ? ["--http2-prior-knowledge"] : [])
                    + (self == .misdescribedReference
                        ? ["--cases", "0.6.*,1.1.1", "--subprotocol", "chat.v9"] : ["--cases", "0.1.1,1.1.1,2.1,5.1,6.2.1,7.1.1"])
            }
        }

        @Test(arguments: Server.allCases)
        func failingCasesLeaveCapsulesThatReplayOfflineAndLive(_ server: Server) async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            try await withServer({ try await server.start() }) { live in
                let url = live.url().description
                #expect(await Self.run(["run", url, "--report-dir", directory.path] + server.arguments) == 1)
                let folder = directory.appendingPathComponent("capsules")
                let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
                let run = try #require(try ReportWriter.load(directory).first)
                let failing = run.results.filter { $0.fails(strict: true) }
                #expect(!failing.isEmpty)
                // One capsule per failing case, named in its result and linked from its page; none for the others.
                #expect(files == failing.map { "\($0.id).json" }.sorted())
                #expect(run.results.allSatisfy { ($0.capsule != nil) == $0.fails(strict: true) })
                let pages = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("cases").path)
                for result in failing {
                    let name = try #require(pages.first { $0.hasSuffix("_case_\(result.id.rawValue.replacingOccurrences(of: ".", with: "_")).html") })
                    let page = try String(contentsOf: directory.appendingPathComponent("cases/\(name)"), encoding: .utf8)
                    #expect(page.contains("href=\"../capsules/\(result.id).json\""), "\(result.id)")
                }
                for file in files {
                    let path = folder.appendingPathComponent(file).path
                    let capsule = try Capsule.read(Data(contentsOf: URL(fileURLWithPath: path)), name: file)
                    let scenario = try #require(Catalog.all.first { $0.id == capsule.result.id })
                    let offline = await capsule.replay(capsule.prepared(scenario))
                    #expect(offline.divergence == nil, "\(file): \(offline.divergence ?? "")")
                    #expect(offline.reproduced && offline.replayed.reasons == capsule.result.reasons, "\(file): \(offline.replayed.summary)")
                    let expected: Int32 = capsule.result.fails(strict: false) ? 1 : 0
                    #expect(await Self.run(["replay", path]) == expected, "\(file)")
                    #expect(await Self.run(["replay", path, "--strict"]) == 1, "\(file)")
                    #expect(await Self.run(["replay", path, "--url", url, "--strict"]) == 1, "\(file) live")
                    #expect((capsule.http2Scheme != nil) == (server == .injectsMarkupOverHTTP2))
                }
                // The whole folder at once: every replay gives the recorded verdicts (--check), and they fail (strict).
                #expect(await Self.run(["replay", folder.path, "--check"]) == 0)
                #expect(await Self.run(["replay", folder.path, "--strict"]) == 1)
                // A run that passes in the same directory leaves no capsule of the earlier run behind.
                if server == .misdescribedReference {
                    #expect(await Self.run(["run", url, "--report-dir", directory.path, "--cases", "1.1.1"]) == 0)
                    #expect((try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty ?? true)
                }
            }
        }

        @Test func replayRefusesWhatItCannotReplay() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let notCapsule = directory.appendingPathComponent("x.json")
            try Data(#"{"format":"wsspec-capsule/1"}"#.utf8).write(to: notCapsule)
            #expect(await Self.run(["replay", notCapsule.path]) == 2)
            #expect(await Self.run(["replay", directory.appendingPathComponent("missing.json").path]) == 2)
            #expect(await Self.run(["replay", directory.path]) == 2)
            #expect(await Self.run(["replay", notCapsule.path, "--insecure"]) == 2)
        }

        @Test func replayAgainstAServerThatIsGoneIsUnreachable() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let url = try await withServer({ try await Server.resetsTheConnection.start() }) { server in
                #expect(await Self.run(["run", server.url().description, "--report-dir", directory.path, "--cases", "1.1.1"]) == 1)
                return server.url().description
            }
            let folder = directory.appendingPathComponent("capsules")
            let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first)
            #expect(await Self.run(["replay", folder.appendingPathComponent(file).path, "--url", url]) == 2)
            #expect(await Self.run(["replay", folder.appendingPathComponent(file).path, "--url", "http://127.0.0.1/"]) == 2)
        }
    }
}
