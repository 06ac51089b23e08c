import ConformanceReport
import ConformanceSuite
import Foundation
import LiveRun
import NIOPosix
import Scenario
import Testing
import WebSocketNIO

extension LiveTests {
    @Suite("Hostile servers: every case still ends with a verdict, in time, in bounded memory")
    struct HostileServerTests {
        /// A handful of cases that exercise the handshake, echo, pings, fragmentation and the close.
        static let cases = Catalog.cases(CaseSelection(cases: "0.1.1,1.1.1,2.1,5.1,6.2.1,7.1.1,11.1.1"))

        static var parameters: RunParameters {
            var parameters = RunParameters()
            parameters.handshakeTimeout = .seconds(1)
            parameters.closeTimeout = .seconds(1)
            parameters.maxReceivedBytes = 4 << 20
            parameters.maxObservations = 20_000
            return parameters
        }

        /// Each hostile server runs on an event loop of its own, shut down afterwards: a flood cannot slow
        /// the client's loops or outlive its test.
        static func run(_ behaviour: HostileBehaviour) async throws -> [CaseResult] {
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let results = try await withServer({ try await SessionServer.start(group: group) { behaviour.makeSession() } }) { server in
                let suite = try LiveSuite(url: server.url(), parameters: parameters, connectTimeout: .seconds(2))
                return await suite.run(cases, jobs: cases.count)
            }
            try await group.shutdownGracefully()
            return results
        }

        @Test(arguments: HostileBehaviour.allCases)
        func everyCaseEndsWithAVerdictAndAReason(behaviour: HostileBehaviour) async throws {
            let clock = ContinuousClock()
            let began = clock.now
            let results = try await Self.run(behaviour)
            #expect(results.map(\.id) == Self.cases.map(\.id))
            for (result, scenario) in zip(results, Self.cases) {
                if behaviour == .resetsTheConnection, case .peerFails = scenario.closing {
                    // Where the peer must fail the connection, dropping it does (RFC 6455 §7.1.7 asks for a close
                    // frame first with SHOULD only): the case passes, with the advisory.
                    #expect(result.passed && result.advisories == [.droppedWithoutCloseFrame], "\(behaviour): \(result.summary)")
                } else {
                    #expect(!result.passed, "\(behaviour): \(result.summary)")
                    #expect(!result.reasons.isEmpty, "\(behaviour): \(result.id) has no reason")
                }
                // The case's own deadline, plus the closing handshake and the handshake timeout.
                #expect(result.duration <= scenario.deadline + .seconds(3), "\(behaviour): \(result.id) took \(result.duration)")
                let received = result.wire.filter { $0.direction == .received }
                #expect(received.reduce(0) { $0 + $1.bytes.count } <= Self.parameters.wireLogLimit)
                // The budget is checked per read, so at most one read's worth passes it.
                #expect(received.reduce(0) { $0 + $1.length } <= Self.parameters.maxReceivedBytes + InboundQueueBound.readAllowance)
            }
            #expect(clock.now - began < .seconds(60))
        }

        /// The budgets under simulation, where the flood's pace is exact: the case FAILS once the server has sent
        /// more than it allows, and the connection is dropped.
        @Test(arguments: [(HostileBehaviour.floods, "bytes"), (.pingsWithoutEnd, "frames")])
        func floodingIsCutOffAtTheBudget(behaviour: HostileBehaviour, unit: String) async throws {
            var parameters = Self.parameters
            if behaviour == .pingsWithoutEnd { parameters.maxObservations = 500 }
            let suite = InProcessSuite(parameters: parameters) { behaviour.makeSession() }
            let result = suite.run(try #require(Catalog.case("1.1.1")))
            #expect(result.verdict == .failed)
            #expect(result.reasons.contains { $0.hasPrefix("the server sent more than") && $0.contains(unit) }, "\(result.reasons)")
            #expect(result.closing.droppedBy == .client)
            let received = result.wire.filter { $0.direction == .received }.reduce(0) { $0 + $1.length }
            #expect(received <= parameters.maxReceivedBytes + 256 * 1024 + 4096)
        }

        @Test func anExabyteFrameFailsAtOnce() async throws {
            let results = try await Self.run(.announcesAnExabyteFrame)
            let echo = try #require(results.first { $0.id == "1.1.1" })
            #expect(echo.closeVerdict == .failedByClient)
            #expect(echo.duration < .seconds(3))
        }

        /// The peer's markup reaches the reports only escaped. With `WSSPEC_HOSTILE_REPORT_DIR` set, the report
        /// is also left there for `scripts/check-report-xss.sh` to open in a headless browser.
        @Test func markupFromThePeerIsEscapedInTheReports() async throws {
            let results = try await Self.run(.injectsMarkup)
            #expect(results.contains { $0.handshake?.response?.contains("<script>") == true })
            #expect(results.contains { $0.closing.sentByServer?.reason.isEmpty == false })
            let run = ConformanceRun(
                agent: "<b>agent</b>", target: "ws://127.0.0.1/\"><script>", startedAt: Date(),
                duration: .seconds(1), seed: 1, strict: false, results: results)
            let keep = ProcessInfo.processInfo.environment["WSSPEC_HOSTILE_REPORT_DIR"]
            let directory = keep.map { URL(fileURLWithPath: $0) } ?? temporaryDirectory()
            defer { if keep == nil { try? FileManager.default.removeItem(at: directory) } }
            let files = try ReportWriter.write(run, formats: [.html, .json, .junit], to: directory)

            for file in files where file.pathExtension == "html" || file.pathExtension == "xml" {
                let text = try String(contentsOf: file, encoding: .utf8)
                // The index carries exactly one script, our own; case pages and XML carry none.
                let scripts = text.components(separatedBy: "<script>").count - 1
                #expect(scripts == (file.lastPathComponent == "index.html" ? 1 : 0), "\(file.lastPathComponent)")
                #expect(!text.contains("<img"), "\(file.lastPathComponent)")
                #expect(!text.contains("\"onmouseover"), "\(file.lastPathComponent)")
                #expect(!text.contains("</textarea>"), "\(file.lastPathComponent)")
                #expect(!text.contains("<b>agent"), "\(file.lastPathComponent)")
            }
            let junit = try String(contentsOf: directory.appendingPathComponent("junit.xml"), encoding: .utf8)
            #expect(junit.contains("&lt;script&gt;"))
            // One test case per result, none lost to the markup. (That the XML is well-formed and valid is
            // checked with xmllint against the JUnit schema in ConformanceReportTests; FoundationXML's
            // XMLDocument is not used because it leaks its libxml2 tree under LeakSanitizer.)
            #expect(junit.components(separatedBy: "<testcase ").count - 1 == results.count)
            let index = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("index.json"))) as? [String: Any]
            #expect(index?.keys.first == "<b>agent</b>")
        }
    }

    /// What one socket read can add on top of the receive budget before the runner sees it.
    enum InboundQueueBound {
        static let readAllowance = 2 << 20
    }
}
