import Scenario

/// `wsspec report` over the slices of one sharded run: the runs of one agent that carry shards of the same
/// count become one run again, as if one machine had run the whole selection.
public enum ShardMerge {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs without a shard pass unchanged; shards of one agent and count are merged into one run, in the
    /// position of the first. Two runs of the same shard, or shards of one agent with different counts or
    /// strictness, are an error; missing shards are reported in `missing`, and the merge goes on.
    public static func merge(_ runs: [ConformanceRun]) throws(Problem) -> (runs: [ConformanceRun], missing: [String]) {
        var merged: [ConformanceRun] = []
        var groupOf: [String: Int] = [:]
        var indexes: [String: Set<Int>] = [:]
        for run in runs {
            guard let shard = run.shard else {
                merged.append(run)
                continue
            }
            guard let position = groupOf[run.agent] else {
                groupOf[run.agent] = merged.count
                indexes[run.agent] = [shard.index]
                merged.append(run)
                continue
            }
            var whole = merged[position]
            guard whole.shard?.count == shard.count else {
                throw Problem(
                    description: "agent \(run.agent): shards of \(whole.shard.map { "\($0.count)" } ?? "?") and of \(shard.count) cannot be merged")
            }
            guard indexes[run.agent]!.insert(shard.index).inserted else {
                throw Problem(description: "agent \(run.agent): shard \(shard) appears twice")
            }
            guard whole.strict == run.strict else {
                throw Problem(description: "agent \(run.agent): shard \(shard) was run with\(run.strict ? "" : "out") --strict, the others not")
            }
            whole.results = (whole.results + run.results).sorted { $0.id < $1.id }
            whole.startedAt = min(whole.startedAt, run.startedAt)
            // The machines ran side by side: the merged run took as long as its slowest slice.
            whole.duration = max(whole.duration, run.duration)
            merged[position] = whole
        }
        var missing: [String] = []
        for (agent, position) in groupOf.sorted(by: { $0.value < $1.value }) {
            let count = merged[position].shard!.count
            let absent = (1...count).filter { !indexes[agent]!.contains($0) }
            if absent.isEmpty {
                merged[position].shard = nil
            } else {
                missing.append(
                    "agent \(agent): shard\(absent.count == 1 ? "" : "s") \(absent.map { "\($0)/\(count)" }.joined(separator: ", ")) missing")
            }
        }
        return (merged, missing)
    }
}
