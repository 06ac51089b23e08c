import ConformanceReport
import ConformanceSuite
import Foundation
import ReferenceServer
import Scenario

/// Writing a 500-case report in every format (HTML pages, JSON, JUnit, the saved run), from the catalog's
/// in-process results with ids repeated past 304.
enum ReportBenchmark {
    struct Figures {
        var cases: Int
        var files: Int
        var seconds: Double
        var indexBytes: Int
        var totalBytes: Int
    }

    static func run(repetitions: Int = 3) async throws -> Figures {
        let results = await InProcessSuite.referenceServer(.withKeepalive).run(Catalog.protocolCases, jobs: 2)
        var records: [CaseRecord] = []
        for index in 0..<500 {
            var record = results[index % results.count]
            if index >= results.count { record.id = CaseID(parsing: "\(100 + index / 100).\(index % 100 + 1)")! }
            records.append(record)
        }
        let run = ConformanceRun(
            agent: "reference", target: "in-process", startedAt: Date(), duration: .seconds(1), seed: 0,
            strict: false, records: records)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wsspec-bench-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ContinuousClock()
        var best = Duration.seconds(3600)
        var files: [URL] = []
        for _ in 0..<repetitions {
            best = min(best, try clock.measure { files = try ReportWriter.write(run, formats: Set(ReportFormat.allCases), to: directory) })
        }
        let size = { (url: URL) in (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0 }
        return Figures(
            cases: records.count, files: files.count, seconds: best.seconds,
            indexBytes: size(directory.appendingPathComponent("index.html")), totalBytes: files.reduce(0) { $0 + size($1) })
    }
}
