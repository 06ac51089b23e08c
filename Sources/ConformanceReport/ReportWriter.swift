public import Foundation

/// The report formats `--format` accepts.
public enum ReportFormat: String, Sendable, CaseIterable, Hashable {
    /// `index.html` and a page per case under `cases/`.
    case html
    /// `index.json` in Autobahn|Testsuite's shape, and one JSON file per case.
    case json
    /// `junit.xml`, for CI test tabs.
    case junit
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
    /// missing, and returns the files written. Files of an earlier report there are replaced.
    @discardableResult
    public static func write(_ runs: [ConformanceRun], formats: Set<ReportFormat>, to directory: URL) throws(ReportError) -> [URL] {
        var written: [URL] = []
        func put(_ data: Data, _ name: String) throws(ReportError) {
            let url = directory.appendingPathComponent(name)
            do {
                try data.write(to: url, options: .atomic)
            } catch {
                throw ReportError(description: "cannot write \(url.path): \(error.localizedDescription)")
            }
            written.append(url)
        }
        func encoded(_ value: some Encodable) throws(ReportError) -> Data {
            do {
                return try AutobahnJSON.encode(value)
            } catch {
                throw ReportError(description: "cannot encode the report: \(error)")
            }
        }
        do {
            let folder = formats.contains(.html) ? directory.appendingPathComponent("cases") : directory
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportError(description: "cannot create the report directory \(directory.path): \(error.localizedDescription)")
        }
        try put(try encoded(runs), runFileName)
        if formats.contains(.json) {
            try put(try encoded(AutobahnJSON.index(runs)), "index.json")
            for run in runs {
                for result in run.results {
                    try put(try encoded(AutobahnJSON.caseReport(result, agent: run.agent)),
                            AutobahnJSON.caseFileName(agent: run.agent, id: result.id))
                }
            }
        }
        if formats.contains(.junit) {
            try put(Data(JUnitXML.document(runs).utf8), "junit.xml")
        }
        if formats.contains(.html) {
            for page in HTMLReport.pages(runs) { try put(Data(page.html.utf8), page.path) }
        }
        return written
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
        do {
            return try JSONDecoder().decode([ConformanceRun].self, from: data)
        } catch {
            throw ReportError(description: "\(file.path) is not a saved wsspec run: \(error)")
        }
    }
}
