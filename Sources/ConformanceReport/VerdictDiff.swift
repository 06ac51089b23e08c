public import Foundation
import Scenario

/// What changed between two reports, case by case: the golden-results gate of `wsspec diff`. It reads
/// wsspec's saved runs, any `index.json` in Autobahn|Testsuite's shape, or a peer golden file.
public struct VerdictDiff: Sendable {
    public struct Outcome: Sendable, Hashable, CustomStringConvertible {
        public var behavior: String
        public var behaviorClose: String
        public var description: String { "\(behavior)/\(behaviorClose)" }

        public init(behavior: String, behaviorClose: String) {
            self.behavior = behavior
            self.behaviorClose = behaviorClose
        }

        /// Worse than `other`: a more severe behaviour verdict, or a close that now fails.
        func isWorse(than other: Outcome) -> Bool {
            let severity = { (text: String) in Verdict(rawValue: text).map { Verdict.allCases.firstIndex(of: $0)! } ?? Verdict.allCases.count }
            if severity(behavior) != severity(other.behavior) { return severity(behavior) > severity(other.behavior) }
            let closeFails = { (text: String) in !["OK", "INFORMATIONAL"].contains(text) }
            return closeFails(behaviorClose) && !closeFails(other.behaviorClose)
        }
    }

    public enum Change: Sendable, Hashable, CustomStringConvertible {
        case regressed(agent: String, id: String, from: Outcome, to: Outcome)
        case improved(agent: String, id: String, from: Outcome, to: Outcome)
        case changed(agent: String, id: String, from: Outcome, to: Outcome)
        case removed(agent: String, id: String, was: Outcome)
        case added(agent: String, id: String, now: Outcome)

        public var isRegression: Bool {
            switch self {
            case .regressed, .removed: true
            default: false
            }
        }

        public var description: String {
            switch self {
            case .regressed(let agent, let id, let from, let to): "REGRESSED \(agent) \(id): \(from) → \(to)"
            case .improved(let agent, let id, let from, let to): "improved  \(agent) \(id): \(from) → \(to)"
            case .changed(let agent, let id, let from, let to): "changed   \(agent) \(id): \(from) → \(to)"
            case .removed(let agent, let id, let was): "REMOVED   \(agent) \(id): was \(was)"
            case .added(let agent, let id, let now): "added     \(agent) \(id): \(now)"
            }
        }
    }

    public typealias Outcomes = [String: [String: Outcome]]

    public var changes: [Change]
    public var regressions: [Change] { changes.filter(\.isRegression) }

    /// Compares agent by agent; when each side holds exactly one agent, those two are compared whatever
    /// their names.
    public init(old: Outcomes, new: Outcomes) {
        var pairs: [(String, [String: Outcome], [String: Outcome])] = []
        if old.count == 1 && new.count == 1, let (name, before) = old.first, let after = new.first?.value {
            pairs = [(name == new.first!.key ? name : "\(name) → \(new.first!.key)", before, after)]
        } else {
            pairs = Set(old.keys).union(new.keys).sorted().map { ($0, old[$0] ?? [:], new[$0] ?? [:]) }
        }
        var changes: [Change] = []
        for (agent, before, after) in pairs {
            let ids = Set(before.keys).union(after.keys).sorted { lhs, rhs in
                guard let left = CaseID(parsing: lhs), let right = CaseID(parsing: rhs) else { return lhs < rhs }
                return left < right
            }
            for id in ids {
                switch (before[id], after[id]) {
                case let (was?, now?) where was != now:
                    changes.append(
                        now.isWorse(than: was)
                            ? .regressed(agent: agent, id: id, from: was, to: now)
                            : was.isWorse(than: now)
                                ? .improved(agent: agent, id: id, from: was, to: now)
                                : .changed(agent: agent, id: id, from: was, to: now))
                case let (was?, nil): changes.append(.removed(agent: agent, id: id, was: was))
                case let (nil, now?): changes.append(.added(agent: agent, id: id, now: now))
                default: break
                }
            }
        }
        self.changes = changes
    }

    /// The outcomes in a report directory: its saved run, else its Autobahn-style `index.json`; or such a
    /// file named directly.
    public static func outcomes(at location: URL) throws(ReportWriter.ReportError) -> Outcomes {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location.path, isDirectory: &isDirectory) else {
            throw ReportWriter.ReportError(description: "\(location.path): no such file or directory")
        }
        let runFile = isDirectory.boolValue ? location.appendingPathComponent(ReportWriter.runFileName) : location
        if runFile.lastPathComponent == ReportWriter.runFileName, FileManager.default.fileExists(atPath: runFile.path) {
            var outcomes: Outcomes = [:]
            for run in try ReportWriter.load(runFile) {
                for record in run.results {
                    outcomes[run.agent, default: [:]][record.id.rawValue] = Outcome(
                        behavior: record.verdict.rawValue,
                        behaviorClose: record.closeVerdict.rawValue)
                }
            }
            return outcomes
        }
        let indexFile = isDirectory.boolValue ? location.appendingPathComponent("index.json") : location
        struct Entry: Decodable {
            var behavior: String
            var behaviorClose: String
        }
        /// The peer matrix's golden files (Fixtures/peers/NAME.json): one peer's verdicts, with their reasons.
        struct Golden: Decodable {
            var peer: String
            var cases: [String: Entry]
        }
        let toOutcome = { (entry: Entry) in Outcome(behavior: entry.behavior, behaviorClose: entry.behaviorClose) }
        do {
            let data = try Data(contentsOf: indexFile)
            if let golden = try? JSONDecoder().decode(Golden.self, from: data) {
                return [golden.peer: golden.cases.mapValues(toOutcome)]
            }
            return try JSONDecoder().decode([String: [String: Entry]].self, from: data).mapValues { $0.mapValues(toOutcome) }
        } catch {
            throw ReportWriter.ReportError(
                description:
                    "\(indexFile.path) holds no readable results (\(ReportWriter.runFileName), an Autobahn-style index.json or a peer golden file): \(error)"
            )
        }
    }
}
