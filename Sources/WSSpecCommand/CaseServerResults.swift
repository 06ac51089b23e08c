import ConformanceReport
import Foundation
import Scenario
import WebSocketNIO

/// What each agent got, case by case, as the cases finish. It keeps at most `maxAgents` agents and, per agent, one
/// result per case of the selection, so what clients can make the server keep is bounded whatever names they make
/// up. A new agent past the cap takes the place of the one with the fewest results (the oldest of those) that has
/// no case running, so that made-up agents cannot lock an honest driver out; only when every agent is running a
/// case is a new one refused.
actor CaseServerResults {
    private var byAgent: [String: [CaseID: CaseResult]] = [:]
    private let startedAt = Date()
    private let began = ContinuousClock.now
    let maxAgents: Int

    init(maxAgents: Int = ConnectionLimits().maxAgents) {
        self.maxAgents = maxAgents
    }

    /// The cases each agent has opened (a result comes when the case ends: `finish`).
    private var begun: [String: Set<CaseID>] = [:]
    /// How many connections run each case now, by agent (a driver that retried may run a case twice at once).
    private var running: [String: [CaseID: Int]] = [:]
    /// The results that changed since the last `snapshot`, by agent: only their case files need writing again.
    private var changed: [String: Set<CaseID>] = [:]
    /// Agents replaced since the last `snapshot`: their case files are to go.
    private var removed: Set<String> = []
    /// When each agent last began a case, for choosing whom a new agent replaces.
    private var lastActive: [String: UInt64] = [:]
    private var clock: UInt64 = 0
    /// The never-ran result of each case, made once and shared by every agent that lacks it.
    private var neverRan: [CaseID: CaseResult] = [:]

    func record(_ result: CaseResult, agent: String) {
        byAgent[agent, default: [:]][result.id] = result
        changed[agent, default: []].insert(result.id)
    }

    /// A connection for the case arrived. False, and nothing recorded, when the agent is new and `maxAgents` are
    /// known already.
    func began(agent: String, id: CaseID) -> Bool {
        if begun[agent] == nil && begun.count >= maxAgents {
            let idle = begun.keys.filter { running[$0] == nil }
            guard let replaced = idle.min(by: { (byAgent[$0]?.count ?? 0, lastActive[$0] ?? 0) < (byAgent[$1]?.count ?? 0, lastActive[$1] ?? 0) })
            else { return false }
            begun[replaced] = nil
            byAgent[replaced] = nil
            lastActive[replaced] = nil
            changed[replaced] = nil
            removed.insert(replaced)
        }
        clock += 1
        lastActive[agent] = clock
        removed.remove(agent)
        begun[agent, default: []].insert(id)
        running[agent, default: [:]][id, default: 0] += 1
        return true
    }

    /// A case that `began` ended with this result.
    func finish(_ result: CaseResult, agent: String) {
        record(result, agent: agent)
        let count = running[agent]?[result.id] ?? 1
        running[agent]?[result.id] = count > 1 ? count - 1 : nil
        if running[agent]?.isEmpty == true { running[agent] = nil }
    }

    /// Returns once none of the agent's cases (or, given `id`, that case) is running, or after `limit`.
    func waitWhileRunning(agent: String, id: CaseID? = nil, within limit: Duration) async {
        let end = ContinuousClock.now + limit
        while ContinuousClock.now < end, let cases = running[agent], id.map({ cases[$0] != nil }) ?? !cases.isEmpty {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    func hasBegun(agent: String, id: CaseID) -> Bool { begun[agent]?.contains(id) ?? false }

    func result(agent: String, id: CaseID) -> CaseResult? { byAgent[agent]?[id] }

    /// Whether the agent has a result for any case.
    func hasResults(agent: String) -> Bool { !(byAgent[agent]?.isEmpty ?? true) }

    /// One run per agent that has results, in case order. With `completing`, every case of it that the agent never
    /// ran is there too, FAILED: a client that skips cases must not pass on the ones it chose.
    func runs(completing cases: [ScenarioCase]? = nil) -> [ConformanceRun] {
        byAgent.keys.sorted().compactMap { agent in run(agent, completing: cases) }
    }

    /// The runs as `runs(completing:)` gives them, the results that changed since the last snapshot, and the agents
    /// replaced since.
    func snapshot(completing cases: [ScenarioCase]) -> ReportChanges {
        defer {
            changed = [:]
            removed = []
        }
        return ReportChanges(runs: runs(completing: cases), changed: changed, removed: removed)
    }

    private func run(_ agent: String, completing cases: [ScenarioCase]?) -> ConformanceRun? {
        var results = byAgent[agent, default: [:]]
        guard !results.isEmpty else { return nil }
        for scenario in cases ?? [] where results[scenario.id] == nil {
            if neverRan[scenario.id] == nil {
                neverRan[scenario.id] = .notRun(scenario, reason: "the client never ran this case", seed: nil)
            }
            results[scenario.id] = neverRan[scenario.id]
        }
        var run = ConformanceRun(
            agent: agent, target: "clients", startedAt: startedAt, duration: ContinuousClock.now - began,
            seed: 0, strict: false, results: results.values.sorted { $0.id < $1.id })
        run.role = .server
        return run
    }
}

/// What a report write covers: every run (for the index files), the results whose case files are to be written (the
/// cases an agent never ran get theirs in the final report), and the agents whose case files are to be removed.
struct ReportChanges: Sendable {
    var runs: [ConformanceRun]
    var changed: [String: Set<CaseID>]
    var removed: Set<String>
}
