import ArgumentParser
import ConformanceSuite
import Foundation
import HTTP2Section
import Scenario

/// Which cases a command takes: the catalog's, the cases of scenario files, or both; then the globs.
struct CaseSourceOptions: ParsableArguments {
    @Option(help: "Comma-separated globs of the cases to take, e.g. '1.*,6.4.*'.")
    var cases: String?

    @Option(help: "Comma-separated globs of cases to leave out.")
    var exclude: String?

    @Option(
        name: .customLong("shard"),
        help: ArgumentHelp(
            "Take only slice K of N (e.g. 2/3): a case's slice depends on its id alone, so N machines running 1/N … N/N run the selection once between them; `wsspec report` merges their reports.",
            valueName: "K/N"))
    var shardArgument: ShardArgument?

    var shard: Shard? { shardArgument?.shard }

    @Option(
        name: .customLong("scenarios"),
        help: ArgumentHelp(
            "A scenario file (docs/scenario-files.md) whose cases are taken instead of the catalog's (repeatable).",
            valueName: "file"))
    var scenarioFiles: [String] = []

    @Flag(name: .customLong("with-catalog"), help: "With --scenarios: take the catalog's cases too.")
    var withCatalog = false

    var selection: CaseSelection { CaseSelection(cases: cases, exclude: exclude) }

    /// The selected cases, in id order, then the shard's slice of them (which may be empty). A file that cannot
    /// be read or parsed, an id defined twice, or a selection that matches nothing is a usage error that names
    /// the cause.
    /// - Parameter alsoMatching: ids of cases run beside the catalog's (the HTTP/2 section in a run over HTTP/2): a
    ///   selection that matches only some of them is not empty.
    func load(alsoMatching others: [CaseID] = []) throws -> [ScenarioCase] {
        if withCatalog && scenarioFiles.isEmpty { throw ValidationError("--with-catalog adds the catalog to --scenarios files; give at least one") }
        var all = scenarioFiles.isEmpty || withCatalog ? Catalog.all : []
        var origin = Dictionary(uniqueKeysWithValues: all.map { ($0.id, "the catalog") })
        for path in scenarioFiles {
            let cases: [ScenarioCase]
            do {
                cases = try ScenarioFileParser.load(URL(fileURLWithPath: path))
            } catch {
                throw ValidationError("\(error)")
            }
            if cases.isEmpty { throw ValidationError("\(path): no cases in the file") }
            for scenario in cases {
                if let earlier = origin[scenario.id] {
                    throw ValidationError("\(path): case \(scenario.id) is already defined in \(earlier)")
                }
                origin[scenario.id] = path
            }
            all += cases
        }
        let selected = all.filter { selection.contains($0.id) }.sorted { $0.id < $1.id }
        if selected.isEmpty, !others.contains(where: selection.contains) {
            let source = scenarioFiles.isEmpty ? "the catalog" : scenarioFiles.joined(separator: ", ")
            let excluded = exclude.map { " --exclude \($0)" } ?? ""
            let section14 =
                HTTP2Section.cases.contains { selection.contains($0.id) }
                ? " (section 14 runs over HTTP/2 only: --http2, --http2-prior-knowledge)" : ""
            throw ValidationError("no case of \(source) matches --cases \(cases ?? "*")\(excluded)\(section14)")
        }
        guard let shard else { return selected }
        return selected.filter { shard.contains($0.id) }
    }
}

extension CaseSourceOptions {
    /// Where each case of the scenario files is defined, with the file's text, for the capsules of a run (a file that
    /// no longer reads as it did when `load` read it leaves its cases to the catalog's name alone).
    func capsuleSources() -> [CaseID: Capsule.Source] {
        var sources: [CaseID: Capsule.Source] = [:]
        for path in scenarioFiles {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                let cases = try? ScenarioFileParser.parse(text, file: path)
            else { continue }
            for scenario in cases { sources[scenario.id] = .scenarioFile(name: path, text: text) }
        }
        return sources
    }
}

/// `--shard K/N`.
struct ShardArgument: ExpressibleByArgument {
    var shard: Shard

    init?(argument: String) {
        guard let shard = Shard(parsing: argument) else { return nil }
        self.shard = shard
    }
}
