import ConformanceReport
import ConformanceSuite
import Foundation
import ReferenceServer
import Scenario
import Testing
import WSSpecCommand

/// Runs for the report tests, made in-process (deterministic and fast): the reference server, and one that
/// answers no ping (2.x FAILS) and says nothing of keepalive (11.2–11.4 are UNIMPLEMENTED).
enum SampleRuns {
    static let cases = Catalog.cases(CaseSelection(cases: "1.1.*,2.*,5.1,7.1.*,11.*"))

    static func run(agent: String, pongs: Bool) async -> ConformanceRun {
        var configuration = EchoServerConfiguration.withKeepalive
        configuration.connection.autoPong = pongs
        var suite = InProcessSuite.referenceServer(configuration)
        if !pongs {
            suite.parameters.serverPingInterval = nil
            suite.parameters.serverPongTimeout = nil
            suite.parameters.serverCloseTimeout = nil
        }
        let results = await suite.run(cases, jobs: 2)
        return ConformanceRun(
            agent: agent, target: "in-process", startedAt: Date(timeIntervalSince1970: 1_800_000_000),
            duration: .seconds(2), seed: 0, strict: false, results: results)
    }

    static func directory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wsspec-report-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")
}

@Suite("Reports: JUnit, saved runs, merging and diffs")
struct ReportTests {
    @Test func junitValidatesAgainstTheSchemaAndCountsFailures() async throws {
        let broken = await SampleRuns.run(agent: "broken", pongs: false)
        #expect(broken.results.contains { $0.verdict == .failed })
        #expect(broken.results.contains { $0.verdict == .unimplemented })
        let directory = SampleRuns.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try ReportWriter.write(broken, formats: [.junit], to: directory)
        let xmllint = Process()
        xmllint.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        xmllint.arguments = [
            "xmllint", "--noout", "--schema", SampleRuns.fixtures.appendingPathComponent("junit/junit.xsd").path,
            directory.appendingPathComponent("junit.xml").path
        ]
        try xmllint.run()
        xmllint.waitUntilExit()
        #expect(xmllint.terminationStatus == 0, "junit.xml does not validate (is xmllint installed?)")
        let junit = try String(contentsOf: directory.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(junit.components(separatedBy: "<failure ").count - 1 == broken.failures.count)
        #expect(junit.components(separatedBy: "<skipped ").count - 1 == broken.results.count { $0.verdict == .unimplemented })
    }

    @Test func nonStrictFailsOnlyUnderStrict() async throws {
        var run = await SampleRuns.run(agent: "reference", pongs: true)
        run.results[0].verdict = .nonStrict
        let directory = SampleRuns.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for strict in [false, true] {
            run.strict = strict
            try ReportWriter.write(run, formats: [.junit], to: directory)
            let junit = try String(contentsOf: directory.appendingPathComponent("junit.xml"), encoding: .utf8)
            #expect(junit.contains("<failure type=\"NON-STRICT\"") == strict)
        }
    }

    @Test func savedRunsLoadBackUnchanged() async throws {
        let run = await SampleRuns.run(agent: "reference", pongs: true)
        let directory = SampleRuns.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try ReportWriter.write(run, formats: [], to: directory)
        let loaded = try ReportWriter.load(directory)
        #expect(loaded.count == 1)
        #expect(loaded.first?.results == run.results)
        #expect(loaded.first?.agent == run.agent)
        #expect(loaded.first?.startedAt == run.startedAt)
    }

    @Test func reportMergesRunsIntoOneMatrix() async throws {
        let (first, second, merged) = (SampleRuns.directory(), SampleRuns.directory(), SampleRuns.directory())
        defer { for url in [first, second, merged] { try? FileManager.default.removeItem(at: url) } }
        try ReportWriter.write(await SampleRuns.run(agent: "reference", pongs: true), formats: [.json], to: first)
        try ReportWriter.write(await SampleRuns.run(agent: "broken", pongs: false), formats: [.json], to: second)
        let status = await WSSpec.runAsMain(["report", first.path, second.path, "--report-dir", merged.path])
        #expect(status == 0)
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: merged.appendingPathComponent("index.json"))) as? [String: Any]
        #expect(Set(index?.keys.map { $0 } ?? []) == ["reference", "broken"])
        let html = try String(contentsOf: merged.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("<th>reference</th>") && html.contains("<th>broken</th>"))
        #expect(await WSSpec.runAsMain(["report", "/nonexistent/report", "--report-dir", merged.path]) == 2)
    }

    @Test func diffExitsWithOneOnARegression() async throws {
        let (golden, worse) = (SampleRuns.directory(), SampleRuns.directory())
        defer { for url in [golden, worse] { try? FileManager.default.removeItem(at: url) } }
        try ReportWriter.write(await SampleRuns.run(agent: "server", pongs: true), formats: [.json], to: golden)
        try ReportWriter.write(await SampleRuns.run(agent: "server", pongs: false), formats: [.json], to: worse)
        #expect(await WSSpec.runAsMain(["diff", golden.path, golden.path]) == 0)
        #expect(await WSSpec.runAsMain(["diff", golden.path, worse.path]) == 1)
        #expect(await WSSpec.runAsMain(["diff", worse.path, golden.path]) == 0) // Only improvements.
        #expect(await WSSpec.runAsMain(["diff", golden.path, "/nonexistent/report"]) == 2)

        // An Autobahn-style index.json alone is enough.
        try FileManager.default.removeItem(at: worse.appendingPathComponent(ReportWriter.runFileName))
        let diff = VerdictDiff(old: try VerdictDiff.outcomes(at: golden), new: try VerdictDiff.outcomes(at: worse))
        #expect(!diff.regressions.isEmpty)
        #expect(diff.regressions.allSatisfy { if case .regressed(_, let id, _, _) = $0 { id.hasPrefix("2.") || id.hasPrefix("11.") } else { false } })
    }

    /// 500 cases keep the index small enough to open anywhere.
    @Test func aFiveHundredCaseIndexStaysUnderTwoMegabytes() async throws {
        let run = await SampleRuns.run(agent: "reference", pongs: true)
        var records: [CaseRecord] = []
        for index in 0..<500 {
            var record = run.results[index % run.results.count]
            record.id = CaseID(parsing: "\(100 + index / 100).\(index % 100 + 1)")!
            records.append(record)
        }
        let big = ConformanceRun(
            agent: "reference", target: "in-process", startedAt: run.startedAt, duration: run.duration,
            seed: 0, strict: false, records: records)
        let directory = SampleRuns.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try ReportWriter.write(big, formats: [.html], to: directory)
        let size = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("index.html").path)[.size] as? Int
        #expect((size ?? .max) < 2 << 20)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("cases").path).count == 500)
    }
}
