import Foundation
import ReferenceServer
import Scenario
import Testing
import WebSocketNIO

/// The package's top-level `Fixtures/` folder.
enum Fixtures {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}

/// Runs `body` with a server on a loopback port and stops it afterwards.
func withServer<T>(_ start: () async throws -> SessionServer, _ body: (SessionServer) async throws -> T) async throws -> T {
    let server = try await start()
    do {
        let value = try await body(server)
        await server.stop()
        return value
    } catch {
        await server.stop()
        throw error
    }
}

/// A fresh directory under the temporary folder.
func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("wsspec-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Every suite of this target runs one at a time: live cases keep real-time deadlines, and suites that
/// compete for the two cores of a CI machine would turn slow answers into spurious timeouts.
@Suite(.serialized) enum LiveTests {}
