/// Runs async code on the simulation: each job becomes an event at the current virtual time and runs
/// on the driving thread, so the interleaving of tasks is decided by the event order alone.
///
/// It is both a serial executor (an actor can adopt it through `unownedExecutor`) and a task executor:
/// tasks started with `Simulation.spawn` prefer it, so their nonisolated async code, their child tasks and
/// every resumption after an `await` land here rather than on the global concurrent pool.
public final class SimulationExecutor: SerialExecutor, TaskExecutor, @unchecked Sendable {
    // Weak: a task that outlives its simulation is simply never resumed again, instead of crashing.
    private weak var simulation: Simulation?

    init(simulation: Simulation) { self.simulation = simulation }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        simulation?.post { [self] in
            unowned.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor())
        }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor { UnownedSerialExecutor(ordinary: self) }
    public func asUnownedTaskExecutor() -> UnownedTaskExecutor { UnownedTaskExecutor(ordinary: self) }

    public func isSameExclusiveExecutionContext(other: SimulationExecutor) -> Bool { self === other }

    public func checkIsolated() {
        precondition(simulation?.isOnDrivingThread ?? false, "not running on the simulation's driving thread")
    }
}
