import ConformanceReport
import Foundation
import NIOConcurrencyHelpers
import Testing
import WebSocketNIO
import WebSocketServer

@testable import WSSpecCommand

extension LiveTests {
    /// Servers that are not plain echo servers: one that requires a subprotocol, and one that relays every message
    /// to every connection. The first passes with `--offer-subprotocol`; the second gets a diagnosis, not only a
    /// wall of FAILED.
    @Suite("Servers with a shape of their own")
    struct ServerShapesTests {
        static let sections = "1.*,2.*,3.*,4.*,5.*,6.*,7.*,10.*"

        /// An echo route that refuses any request that does not offer its subprotocol.
        static func subprotocolRequired() -> WebSocketRouter {
            var router = WebSocketRouter()
            router.group(
                "/",
                middleware: [
                    UpgradeGuard { request in
                        guard request.subprotocol == "chat.v2" else { throw UpgradeRefusal(status: 400, reason: "offer chat.v2") }
                    }
                ]
            ) { group in
                group.ws("/", subprotocols: ["chat.v2"]) { message, _ in message }
            }
            return router
        }

        @Test func aServerThatRequiresASubprotocolPassesWhenItIsOffered() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let (without, with) = try await withServer({ try await SessionServer.start(router: Self.subprotocolRequired()) }) { server in
                let url = server.url().description
                let without = await WSSpec.runAsMain([
                    "run", url, "--cases", "1.1.1", "--no-probe", "--format", "",
                    "--report-dir", directory.path
                ])
                let with = await WSSpec.runAsMain([
                    "run", url, "--cases", Self.sections + ",0.6.*", "--offer-subprotocol", "chat.v2",
                    "--jobs", "8", "--format", "json", "--report-dir", directory.path
                ])
                return (without, with)
            }
            #expect(without == 1, "without the offer, every case is refused")
            #expect(with == 0)
            let run = try #require(try ReportWriter.load(directory).first)
            #expect(run.results.count > 250)
            // 0.6.1 offers no subprotocol on purpose: such a server refuses it by design.
            #expect(run.results.first { $0.id == "0.6.1" }?.verdict == .unimplemented)
            #expect(run.results.first { $0.id == "0.6.2" }?.verdict == .ok)
        }

        /// Every message any connection sends goes to every open connection: what a chat room or mirror does.
        static func broadcasting() -> WebSocketRouter {
            let connections = NIOLockedValueBox<[WebSocketConnection]>([])
            var router = WebSocketRouter()
            router.ws("/") { connection in
                connections.withLockedValue { $0.append(connection) }
                defer { connections.withLockedValue { $0.removeAll { $0 == connection } } }
                for try await message in connection.messages {
                    for peer in connections.withLockedValue({ $0 }) { try? await peer.send(message) }
                }
            }
            return router
        }

        @Test func aBroadcastingServerGetsACrossTalkDiagnosis() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let status = try await withServer({ try await SessionServer.start(router: Self.broadcasting()) }) { server in
                await WSSpec.runAsMain([
                    "run", server.url().description, "--cases", "1.1.*,1.2.*,2.*,5.1,5.2", "--jobs", "8",
                    "--format", "json,markdown,html", "--report-dir", directory.path
                ])
            }
            #expect(status == 1)
            let run = try #require(try ReportWriter.load(directory).first)
            let diagnosed = run.results.filter { !$0.crossTalkFrom.isEmpty }
            #expect(!diagnosed.isEmpty, "cases that heard other cases' messages say so")
            #expect(diagnosed.allSatisfy { $0.reasons.first?.hasPrefix("cross-talk:") == true })
            let summary = try String(contentsOf: directory.appendingPathComponent("summary.md"), encoding: .utf8)
            #expect(summary.contains("**Cross-talk:**"))
            let index = try String(contentsOf: directory.appendingPathComponent("index.html"), encoding: .utf8)
            #expect(index.contains("<strong>cross-talk</strong>"))

            // One connection at a time there is no one to relay to: the same server echoes, and nothing is diagnosed.
            let alone = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: alone) }
            let single = try await withServer({ try await SessionServer.start(router: Self.broadcasting()) }) { server in
                await WSSpec.runAsMain([
                    "run", server.url().description, "--cases", "1.1.*,1.2.*,2.*,5.1,5.2", "--jobs", "1",
                    "--format", "json", "--report-dir", alone.path
                ])
            }
            #expect(single == 0)
            #expect(try ReportWriter.load(alone).first?.results.allSatisfy { $0.crossTalkFrom.isEmpty } == true)
        }
    }
}
