import ArgumentParser
import ConformanceReport
import Foundation

/// `wsspec report DIR…`: several runs (servers, agents) merged into one report.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Merge the runs saved in report directories into one report, one column per agent.",
        discussion: "The shards of one run (wsspec run --shard K/N, one agent name) become one column again.")

    @Argument(help: "Report directories (each holds wsspec-run.json) or wsspec-run.json files.")
    var inputs: [String]

    @Option(name: .customLong("report-dir"), help: "Where the merged report goes.")
    var reportDirectory = "Reports/merged"

    @Option(help: "Report formats, comma-separated: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format = ReportFormat.allCases.map(\.rawValue).joined(separator: ",")

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("name at least one report directory") }
        _ = try ReportFormats.parse(format)
    }

    func run() throws {
        var runs: [ConformanceRun] = []
        do {
            for input in inputs { runs += try ReportWriter.load(URL(fileURLWithPath: input)) }
            let merged: (runs: [ConformanceRun], missing: [String])
            do {
                merged = try ShardMerge.merge(runs)
            } catch {
                throw RunFailure(status: 2, message: "error: \(error)")
            }
            runs = merged.runs
            for line in merged.missing { Console.error("warning: \(line)") }
            // Two runs filed under one agent name would share a column: name them apart.
            var seen: [String: Int] = [:]
            for index in runs.indices {
                let count = seen[runs[index].agent, default: 0] + 1
                seen[runs[index].agent] = count
                if count > 1 { runs[index].agent += " (\(count))" }
            }
            let files = try ReportWriter.write(runs, formats: try ReportFormats.parse(format), to: URL(fileURLWithPath: reportDirectory))
            Console.out("merged \(runs.count) runs (\(runs.map(\.agent).joined(separator: ", "))): \(files.count) files in \(reportDirectory)")
        } catch let error as ReportWriter.ReportError {
            throw RunFailure(status: 2, message: "error: \(error)")
        }
    }
}

/// `wsspec diff OLD NEW`: the cases whose verdicts changed; exit 1 on a regression.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "List the cases whose verdicts changed between two reports; exit 1 when one got worse or disappeared.",
        discussion: "Each side is a report directory (wsspec-run.json, or an Autobahn|Testsuite index.json) or such a file.")

    @Argument(help: "The golden (older) report.")
    var old: String

    @Argument(help: "The newer report.")
    var new: String

    func run() throws {
        let diff: VerdictDiff
        do {
            diff = VerdictDiff(
                old: try VerdictDiff.outcomes(at: URL(fileURLWithPath: old)),
                new: try VerdictDiff.outcomes(at: URL(fileURLWithPath: new)))
        } catch {
            throw RunFailure(status: 2, message: "error: \(error)")
        }
        for change in diff.changes { Console.out(change.description) }
        let regressions = diff.regressions.count
        Console.out(
            diff.changes.isEmpty
                ? "no verdict changed"
                : "\(diff.changes.count) changes, \(regressions) regression\(regressions == 1 ? "" : "s")")
        if regressions > 0 { throw ExitCode(1) }
    }
}

/// The `--format` list, shared by `run` and `report`.
enum ReportFormats {
    static func parse(_ text: String) throws -> Set<ReportFormat> {
        var formats: Set<ReportFormat> = []
        for name in text.split(separator: ",").map({ $0.filter { $0 != " " } }) where !name.isEmpty {
            guard let format = ReportFormat(rawValue: name.lowercased()) else {
                throw ValidationError(
                    "unknown report format \(name.debugDescription); choose from \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            formats.insert(format)
        }
        return formats
    }
}
