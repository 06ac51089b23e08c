public import Foundation
public import Scenario

/// The report formats `--format` accepts.
public enum ReportFormat: String, Sendable, CaseIterable, Hashable {
    /// `index.html` and a page per case under `cases/`.
    case html
    /// `index.json` in Autobahn|Testsuite's shape, and one JSON file per case.
    case json
    /// `junit.xml`, for CI test tabs.
    case junit
    /// `summary.md`: the outcome and the failing cases, for a pull request or GitHub's step summary.
    case markdown
}

/// Writes and reads report directories. Every directory also gets `wsspec-run.json`, the whole run as
/// saved data, which `wsspec report` merges and `wsspec diff` compares.
public enum ReportWriter {
    public static let runFileName = "wsspec-run.json"

    /// A report that could not be written or read, with the path and the cause.
    public struct ReportError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Writes one run.
    @discardableResult
    public static func write(_ run: ConformanceRun, formats: Set<ReportFormat>, to directory: URL) throws(ReportError) -> [URL] {
        try write([run], formats: formats, to: directory)
    }

    /// Writes the requested formats for `runs` (one column per agent) into `directory`, created when
    /// missing, and returns the files written. Files of an earlier report there are replaced. With
    /// `caseFilesOf`, only the case files of those agents' cases are written (the others are there from an earlier
    /// write, or are not wanted yet); the index files always are.
    @discardableResult
    public static func write(
        _ runs: [ConformanceRun], formats: Set<ReportFormat>, to directory: URL,
        caseFilesOf cases: [String: Set<CaseID>]? = nil
    ) throws(ReportError) -> [URL] {
        do {
            let folder = formats.contains(.html) ? directory.appendingPathComponent("cases") : directory
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportError(description: "cannot create the report directory \(directory.path): \(error.localizedDescription)")
        }
        // Every file is independent of the others: each is one job, and the jobs run on every core (a load-section
        // run writes a few hundred megabytes of JSON and HTML, which took as long as the run itself on one).
        let jobs = files(runs, formats: formats, caseFilesOf: cases)
        let failures = LockedFailures()
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let (name, contents) = jobs[index]
            let url = directory.appendingPathComponent(name)
            let data: Data
            do {
                data = try contents()
            } catch {
                return failures.add(index, "cannot encode the report: \(error)")
            }
            do {
                try data.write(to: url, options: .atomic)
            } catch {
                failures.add(index, "cannot write \(url.path): \(error.localizedDescription)")
            }
        }
        // The first failure in file order, so the message does not depend on scheduling.
        if let first = failures.first { throw ReportError(description: first) }
        return jobs.map { directory.appendingPathComponent($0.name) }
    }

    /// Every file of the report (or, with `caseFilesOf`, the index files and those cases' files), by path relative to
    /// its directory, each made when asked for.
    public static func files(
        _ runs: [ConformanceRun], formats: Set<ReportFormat>,
        caseFilesOf cases: [String: Set<CaseID>]? = nil
    ) -> [(name: String, contents: @Sendable () throws -> Data)] {
        let caseRuns =
            cases.map { cases in
                runs.compactMap { run -> ConformanceRun? in
                    guard let ids = cases[run.agent] else { return nil }
                    var only = run
                    only.results = run.results.filter { ids.contains($0.id) }
                    return only
                }
            } ?? runs
        var jobs: [(name: String, contents: @Sendable () throws -> Data)] = [(runFileName, { try AutobahnJSON.encodeRuns(runs) })]
        if formats.contains(.json) {
            jobs.append(("index.json", { try AutobahnJSON.encode(AutobahnJSON.index(runs)) }))
            for run in caseRuns {
                for result in run.results {
                    jobs.append(
                        (
                            AutobahnJSON.caseFileName(agent: run.agent, id: result.id),
                            { try AutobahnJSON.encode(AutobahnJSON.caseReport(result, agent: run.agent, role: run.role ?? .client)) }
                        ))
                }
            }
        }
        if formats.contains(.junit) {
            jobs.append(("junit.xml", { Data(JUnitXML.document(runs).utf8) }))
        }
        if formats.contains(.markdown) {
            jobs.append(("summary.md", { Data(MarkdownSummary.document(runs).utf8) }))
        }
        if formats.contains(.html) {
            jobs.append(("index.html", { Data(HTMLReport.index(runs).utf8) }))
            for run in caseRuns {
                for record in run.results {
                    jobs.append(
                        (
                            HTMLReport.casePagePath(agent: run.agent, id: record.id),
                            { Data(HTMLReport.casePage(record, run: run).utf8) }
                        ))
                }
            }
        }
        return jobs
    }

    /// Removes the case files (JSON and HTML) of `agents` for `cases` from a report directory, as far as they are
    /// there: the agents are gone from the run, and their files must not stay behind.
    public static func removeCaseFiles(of agents: Set<String>, cases: [CaseID], in directory: URL) {
        for agent in agents {
            for id in cases {
                for name in [AutobahnJSON.caseFileName(agent: agent, id: id), HTMLReport.casePagePath(agent: agent, id: id)] {
                    try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
                }
            }
        }
    }

    /// The runs saved in a report directory (or in a `wsspec-run.json` file named directly).
    public static func load(_ location: URL) throws(ReportError) -> [ConformanceRun] {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: location.path, isDirectory: &isDirectory)
        let file = isDirectory.boolValue ? location.appendingPathComponent(runFileName) : location
        guard exists else { throw ReportError(description: "\(location.path): no such file or directory") }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw ReportError(description: "cannot read \(file.path): \(error.localizedDescription) (a report directory holds \(runFileName))")
        }
        return try decodeRuns(data, file: file.path)
    }

    /// The runs of a saved run file's contents, every field checked (`SavedRunCheck`); `file` names it in errors.
    public static func decodeRuns(_ data: Data, file: String) throws(ReportError) -> [ConformanceRun] {
        let runs: [ConformanceRun]
        do {
            runs = try JSONDecoder().decode([ConformanceRun].self, from: data)
        } catch let error as DecodingError {
            throw ReportError(description: "\(file) is not a saved wsspec run: \(SavedRunCheck.path(error))")
        } catch {
            throw ReportError(description: "\(file) is not a saved wsspec run: \(error)")
        }
        try SavedRunCheck.check(runs, file: file)
        return runs
    }
}

/// The failures of concurrent report jobs, by job index.
private final class LockedFailures: @unchecked Sendable {
    // Unchecked: every access holds the lock.
    private let lock = NSLock()
    private var messages: [Int: String] = [:]

    func add(_ index: Int, _ message: String) {
        lock.lock()
        defer { lock.unlock() }
        messages[index] = message
    }

    var first: String? {
        lock.lock()
        defer { lock.unlock() }
        return messages.min { $0.key < $1.key }?.value
    }
}
