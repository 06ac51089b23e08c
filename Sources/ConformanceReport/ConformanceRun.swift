public import Foundation
public import Scenario

/// One run of the suite against one server, as the report writers read it.
public struct ConformanceRun: Sendable, Codable {
    /// The name the results are filed under (a server's name, or `wsspec-reference`).
    public var agent: String
    /// What was tested: a URL, or a description of the in-process target.
    public var target: String
    public var startedAt: Date
    public var duration: Duration
    /// The run seed that masks, nonces and (under simulation) the network came from.
    public var seed: UInt64
    /// NON-STRICT counts as a failure.
    public var strict: Bool
    public var results: [CaseRecord]
    /// The slice of the selection this run ran (`--shard K/N`); `nil` for a whole run.
    public var shard: Shard?
    /// What the run said the server does not implement (`--without`).
    public var without: [OptionalFeature]?
    /// The script's role: `nil` (the client) when a server was tested, `.server` when a client was.
    public var role: ScriptRole?
    /// The wsspec version that made the run.
    public var version = WSSpecVersion.current

    public init(
        agent: String, target: String, startedAt: Date, duration: Duration, seed: UInt64, strict: Bool,
        results: [CaseResult]
    ) {
        self.init(
            agent: agent, target: target, startedAt: startedAt, duration: duration, seed: seed, strict: strict,
            records: results)
    }

    public init(
        agent: String, target: String, startedAt: Date, duration: Duration, seed: UInt64, strict: Bool,
        records results: [CaseRecord]
    ) {
        self.agent = agent
        self.target = target
        self.startedAt = startedAt
        self.duration = duration
        self.seed = seed
        self.strict = strict
        self.results = results
    }

    /// How many cases earned each verdict, every verdict listed.
    public var counts: [(verdict: Verdict, count: Int)] {
        Verdict.allCases.map { verdict in (verdict, results.count { $0.verdict == verdict }) }
    }

    /// How many cases failed their closing handshake (UNIMPLEMENTED ones do not count: they never ran one).
    public var closeFailureCount: Int { results.count { $0.verdict != .unimplemented && $0.closeVerdict.isFailure } }

    /// The cases that fail the run: FAILED, a failed close, and NON-STRICT under `strict`.
    public var failures: [CaseRecord] { results.filter { $0.fails(strict: strict) } }
}

/// The version the reports name.
public enum WSSpecVersion {
    public static let current = "0.1.0"
}

extension Duration {
    /// Seconds with three decimals (`1.250`), without Foundation's locale-dependent formatting.
    public var secondsText: String {
        let thousandths = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
