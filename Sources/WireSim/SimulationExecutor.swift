/// Runs async code on the simulation: each job becomes an event at the current virtual time and runs
/// on the driving thread, so the interleaving of tasks is decided by the event order alone.
///
/// It is the task executor that tasks started with `Simulation.spawn` prefer: their nonisolated async
/// code, their child tasks and every resumption after an `await` land here rather than on the global
/// concurrent pool. Jobs run as task-executor jobs, so nonisolated code that awaits nonisolated code
/// stays put; running them isolated to a serial executor instead made every such `await` a hop (an
/// extra event). Actors adopt `SimulationSerialExecutor` (`Simulation.serialExecutor`).
public final class SimulationExecutor: TaskExecutor, @unchecked Sendable {
    // Weak: a task that outlives its simulation is simply never resumed again, instead of crashing.
    private weak var simulation: Simulation?

    init(simulation: Simulation) { self.simulation = simulation }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        simulation?.post { [self] in unowned.runSynchronously(on: asUnownedTaskExecutor()) }
    }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor { UnownedTaskExecutor(ordinary: self) }
}

/// The serial executor for actors that live inside the simulation (`unownedExecutor` returns
/// `simulation.serialExecutor.asUnownedSerialExecutor()`): their jobs are events too, run on the driving
/// thread, with the simulation's task executor as the preference of the code they call.
public final class SimulationSerialExecutor: SerialExecutor, @unchecked Sendable {
    private weak var simulation: Simulation?

    init(simulation: Simulation) { self.simulation = simulation }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        simulation?.post { [self] in
            guard let taskExecutor = simulation?.executor else { return }
            unowned.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: taskExecutor.asUnownedTaskExecutor())
        }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor { UnownedSerialExecutor(ordinary: self) }

    public func isSameExclusiveExecutionContext(other: SimulationSerialExecutor) -> Bool { self === other }

    public func checkIsolated() {
        precondition(simulation?.isOnDrivingThread ?? false, "not running on the simulation's driving thread")
    }
}
