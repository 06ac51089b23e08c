#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Seeds, replay and sweeps. A failing simulated run names its seed; `WSSPEC_SEED=<seed>` reruns exactly
/// that seed wherever seeds are chosen through `Seeds`.
public enum Seeds {
    public static let environmentVariable = "WSSPEC_SEED"

    /// The seed from `WSSPEC_SEED`, if it is set to a number.
    public static var fromEnvironment: UInt64? {
        guard let raw = getenv(environmentVariable) else { return nil }
        return UInt64(String(cString: raw))
    }

    /// `WSSPEC_SEED` when set, else `fallback`.
    public static func seed(default fallback: UInt64) -> UInt64 { fromEnvironment ?? fallback }

    /// The seeds a sweep runs: just `WSSPEC_SEED` when set (to replay one failure), else `count` seeds.
    public static func sweep(count: Int, startingAt first: UInt64 = 0) -> [UInt64] {
        if let seed = fromEnvironment { return [seed] }
        return (0..<UInt64(max(0, count))).map { first &+ $0 }
    }
}

/// A simulated run that failed, with what it takes to replay it.
public struct SeededFailure: Error, CustomStringConvertible {
    public let seed: UInt64
    public let underlying: any Error
    public let trace: Trace

    public var replayHint: String { "replay with \(Seeds.environmentVariable)=\(seed)" }
    public var description: String { "seed \(seed) failed: \(underlying) (\(replayHint))" }
}

extension Simulation {
    /// Runs `body` on a fresh simulation with `seed`; a thrown error comes back as a `SeededFailure` that
    /// names the seed and keeps the trace.
    public static func run<T>(seed: UInt64, _ body: (Simulation) throws -> T) throws(SeededFailure) -> T {
        let simulation = Simulation(seed: seed)
        do {
            return try body(simulation)
        } catch {
            throw SeededFailure(seed: seed, underlying: error, trace: simulation.trace)
        }
    }

    /// Runs `body` for each seed and stops at the first failure.
    public static func sweep(seeds: some Sequence<UInt64>, _ body: (Simulation) throws -> Void) -> SweepResult {
        var count = 0
        for seed in seeds {
            count += 1
            do {
                try run(seed: seed, body)
            } catch {
                return SweepResult(seedsRun: count, firstFailure: error)
            }
        }
        return SweepResult(seedsRun: count, firstFailure: nil)
    }

    /// Runs `scenario` twice with the same seed and compares the traces byte for byte. Throws, naming the
    /// first line that differs, when the run is not deterministic.
    @discardableResult
    public static func checkDeterminism(seed: UInt64, _ scenario: (Simulation) throws -> Void) throws -> Trace {
        let first = Simulation(seed: seed), second = Simulation(seed: seed)
        try scenario(first)
        try scenario(second)
        if first.trace != second.trace {
            throw DeterminismFailure(seed: seed, first: first.trace, second: second.trace)
        }
        return first.trace
    }
}

public struct SweepResult {
    public let seedsRun: Int
    public let firstFailure: SeededFailure?
}

/// Two runs with one seed diverged: something outside the simulation (a real clock, the global executor,
/// an unseeded random source, dictionary order) leaked into the run.
public struct DeterminismFailure: Error, CustomStringConvertible {
    public let seed: UInt64
    public let first: Trace
    public let second: Trace

    public var description: String {
        let a = first.entries.map(\.text), b = second.entries.map(\.text)
        let index = a.indices.first { $0 >= b.count || a[$0] != b[$0] } ?? min(a.count, b.count)
        let left = index < a.count ? a[index] : "<end of trace>"
        let right = index < b.count ? b[index] : "<end of trace>"
        return
            "NOT DETERMINISTIC: seed \(seed) gave two different traces; first difference at line \(index + 1):\n  run 1: \(left)\n  run 2: \(right)"
    }
}
