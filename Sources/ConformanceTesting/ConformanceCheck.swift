public import ConformanceReport
import ConformanceSuite
public import Foundation
public import Scenario
public import Transport

/// The conformance catalog, or a selection of it, against an application hosted in-process, from a unit test:
///
///     let results = try await ConformanceCheck.run(against: server.application, cases: "1.*,2.*")
///     #expect(results.failures.isEmpty, "\(results.summary)")
///
/// The cases run through the same runner and judge as `wsspec run` over a socket, one simulated connection
/// each (an ideal link under seed 0), so the verdicts are those a live run gives wherever the application's
/// timing does not decide them.
public enum ConformanceCheck {
    /// - Parameters:
    ///   - server: what answers each connection (`TestServer.application`, a `HummingbirdServer`, sessions).
    ///   - path: the route every case opens (the request target).
    ///   - cases: comma-separated globs, as `wsspec run --cases` takes them.
    ///   - exclude: globs of cases to leave out, as `wsspec run --exclude` takes them.
    ///   - agent: the name the results and reports give the application.
    ///   - parameters: the run's settings, as `wsspec run` takes them (timeouts, idle period, subprotocol, ...).
    ///   - seed: 0 for an ideal link; any other seed cuts and delays the bytes at random, reproducibly.
    ///   - jobs: cases run at a time (the verdicts do not depend on it).
    ///   - reportDirectory: when given, the usual reports are written there.
    ///   - formats: the reports written to `reportDirectory` (HTML and JSON by default).
    /// - Throws: `ConformanceCheck.Failure.noCases` when the selection names no case: a check of nothing is no pass.
    public static func run(
        against server: any InProcessServer, path: String = "/", cases: String = "*", exclude: String? = nil,
        agent: String = "application",
        parameters: RunParameters = RunParameters(), seed: UInt64 = 0, jobs: Int = 2,
        reportDirectory: URL? = nil, formats: Set<ReportFormat> = [.html, .json]
    ) async throws -> ConformanceResults {
        let selection = CaseSelection(cases: cases, exclude: exclude)
        let scenarios = Catalog.cases(selection)
        guard !scenarios.isEmpty else { throw Failure.noCases(cases) }
        let clock = ContinuousClock()
        let began = clock.now
        let startedAt = Date()
        var parameters = parameters
        parameters.path = path
        let suite = InProcessSuite(parameters: parameters, server: server)
        let results = await suite.run(scenarios, seed: seed, jobs: jobs)
        let run = ConformanceRun(
            agent: agent, target: "\(agent), in-process (simulated network, seed \(seed))", startedAt: startedAt,
            duration: clock.now - began, seed: seed, strict: false, results: results)
        let outcome = ConformanceResults(run: run, exit: RunExit.decide([run], expected: scenarios.map(\.id)))
        if let reportDirectory { _ = try ReportWriter.write(run, formats: formats, to: reportDirectory) }
        return outcome
    }

    public enum Failure: Error, CustomStringConvertible {
        case noCases(String)
        /// A saved run to compare with holds the verdicts of this many agents, not one.
        case notOneAgent(String, Int)

        public var description: String {
            switch self {
            case .noCases(let globs): "no case of the catalog matches \"\(globs)\""
            case .notOneAgent(let path, let count): "\(path) holds the verdicts of \(count) agents: compare with a run of one"
            }
        }
    }
}

/// What an in-process conformance run found: the run (as the reports have it) and its outcome, decided as
/// the command line decides its exit status.
public struct ConformanceResults: Sendable {
    public let run: ConformanceRun
    public let exit: RunExit

    /// The cases that fail the run, with their verdicts and reasons.
    public var failures: [CaseRecord] { run.failures }
    /// True only when every selected case ran and none failed.
    public var passed: Bool { exit.outcome == .passed }
    /// Each case's verdict, by id: what a golden file holds.
    public var verdicts: [String: String] {
        Dictionary(uniqueKeysWithValues: run.results.map { ($0.id.rawValue, $0.verdict.rawValue) })
    }

    /// How these verdicts differ from those of a run saved at `location` (a `wsspec run` report directory or its
    /// saved run, an Autobahn-style `index.json`, or a peer golden file): the in-process run checked against a live
    /// one. Only the cases this run selected are compared; one the file lacks is `.added`.
    ///
    ///     #expect(try results.changes(since: liveReport).isEmpty)
    public func changes(since location: URL) throws -> [VerdictDiff.Change] {
        let saved = try VerdictDiff.outcomes(at: location)
        guard saved.count == 1, let (name, outcomes) = saved.first else {
            throw ConformanceCheck.Failure.notOneAgent(location.path, saved.count)
        }
        let ran = Set(run.results.map(\.id.rawValue))
        let now = Dictionary(
            uniqueKeysWithValues: run.results.map {
                ($0.id.rawValue, VerdictDiff.Outcome(behavior: $0.verdict.rawValue, behaviorClose: $0.closeVerdict.rawValue))
            })
        return VerdictDiff(old: [name: outcomes.filter { ran.contains($0.key) }], new: [run.agent: now]).changes
    }

    /// One line per failing case: id, verdict, first reason. For a test's failure message.
    public var summary: String {
        let lines = failures.map { "\($0.id) \($0.verdict.rawValue): \($0.reasons.first ?? "")" }
        return "\(exit)" + (lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n"))
    }
}
