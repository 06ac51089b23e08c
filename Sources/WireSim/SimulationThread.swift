import Dispatch

/// Where a simulation is driven from async code: a thread outside Swift's cooperative pool.
///
/// Driving a simulation blocks its thread until the operation finishes, and a run that holds time for
/// outside work (`Simulation.holdTime`) waits for tasks that need the cooperative pool to make progress. On
/// two cores, two simulations driven from the pool itself would take all of it and wait for each other's
/// outside work until their real-time limits passed. A thread of its own for each drive cannot starve the pool.
public enum SimulationThread {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "wsspec.simulation").async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    public static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue(label: "wsspec.simulation").async { continuation.resume(returning: body()) }
        }
    }
}
