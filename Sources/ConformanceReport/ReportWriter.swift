public import Foundation

/// The report formats `--format` accepts.
public enum ReportFormat: String, Sendable, CaseIterable, Hashable {
    /// `index.json` in Autobahn|Testsuite's shape, and one JSON file per case.
    case json
    /// `junit.xml`, for CI test tabs.
    case junit
}

/// Writes a run's reports into a directory.
public enum ReportWriter {
    /// A report that could not be written, with the path and the cause.
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Writes every requested format into `directory` (created when missing) and returns the files written.
    /// Files of an earlier run in the same directory are replaced, not merged.
    @discardableResult
    public static func write(_ run: ConformanceRun, formats: Set<ReportFormat>, to directory: URL) throws(WriteError) -> [URL] {
        var written: [URL] = []
        func put(_ data: Data, _ name: String) throws(WriteError) {
            let url = directory.appendingPathComponent(name)
            do {
                try data.write(to: url, options: .atomic)
            } catch {
                throw WriteError(description: "cannot write \(url.path): \(error.localizedDescription)")
            }
            written.append(url)
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(description: "cannot create the report directory \(directory.path): \(error.localizedDescription)")
        }
        if formats.contains(.json) {
            do {
                try put(try AutobahnJSON.encode(AutobahnJSON.index(run)), "index.json")
                for result in run.results {
                    try put(try AutobahnJSON.encode(AutobahnJSON.caseReport(result, agent: run.agent)),
                            AutobahnJSON.caseFileName(agent: run.agent, id: result.id))
                }
            } catch let error as WriteError {
                throw error
            } catch {
                throw WriteError(description: "cannot encode the JSON report: \(error)")
            }
        }
        if formats.contains(.junit) {
            try put(Data(JUnitXML.document(run).utf8), "junit.xml")
        }
        return written
    }
}
