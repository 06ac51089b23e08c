import ChatExample
import ConformanceTesting
import Foundation
import Testing
import WebSocketTesting

/// The catalog against the example application's echo route, in-process, from a unit test: what a user of the
/// mock API writes to hold their own routes to RFC 6455.
@Suite("The example application against the conformance catalog, in-process")
struct ChatAppConformanceTests {
    @Test func theEchoRoutePassesSectionsOneToSevenAndTen() async throws {
        let server = TestServer { router in router = ChatApp.router() }
        let results = try await ConformanceCheck.run(
            against: server.application, path: "/echo", cases: "1.*,2.*,3.*,4.*,5.*,6.*,7.*,10.*", agent: "chat-example")
        #expect(results.run.results.count == 251)
        #expect(results.passed, "\(results.summary)")
    }

    @Test func theUsualReportsAreWritten() async throws {
        let server = TestServer { router in router = ChatApp.router() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wsspec-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let results = try await ConformanceCheck.run(
            against: server.application, path: "/echo", cases: "1.1.*", reportDirectory: directory,
            formats: [.html, .json, .junit])
        #expect(results.passed)
        for file in ["index.html", "index.json", "junit.xml"] {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path), "\(file)")
        }
    }

    @Test func aSelectionOfNothingIsAnErrorNotAPass() async throws {
        let server = TestServer { router in router = ChatApp.router() }
        await #expect(throws: ConformanceCheck.Failure.self) {
            _ = try await ConformanceCheck.run(against: server.application, cases: "99.*")
        }
    }

    @Test func aRouteThatIsNotThereFailsEveryCase() async throws {
        let server = TestServer { router in router = ChatApp.router() }
        let results = try await ConformanceCheck.run(against: server.application, path: "/nowhere", cases: "1.1.1,1.1.2")
        #expect(!results.passed)
        #expect(results.failures.count == 2)
    }
}
