import Synchronization

/// What went wrong while driving async code under simulation.
public enum SimulationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing was left to happen, yet the task had not finished: it waits for something that will never come.
    case stalled(at: VirtualInstant)
    /// The task did not finish within its virtual-time budget.
    case timedOut(after: Duration, at: VirtualInstant)
    /// The event budget ran out before the task finished.
    case eventLimit(at: VirtualInstant)

    public var description: String {
        switch self {
        case .stalled(let time):
            "the simulation went quiet at t=\(time) with the task still waiting (for something outside the "
                + "simulation? `Task {}` and actors on the global executor run outside it: use Simulation.spawn, "
                + "a task group, or an actor on Simulation.serialExecutor)"
        case .timedOut(let limit, let time): "the task did not finish within \(limit) of virtual time (t=\(time))"
        case .eventLimit(let time): "the event budget ran out at t=\(time) (does something loop without waiting?)"
        }
    }
}

extension Simulation {
    /// Starts `operation` as a task that runs on the simulation's executor. It makes progress only while
    /// the simulation runs.
    @discardableResult
    public func spawn<T: Sendable>(_ operation: sending @escaping () async throws -> T) -> Task<T, any Error> {
        Task(executorPreference: executor, operation: operation)
    }

    /// Runs `operation` under the simulation until it finishes and returns its result, driving every
    /// event on the way. A task that can never finish, or does not within `timeout` of virtual time,
    /// throws instead of hanging.
    public func runTask<T: Sendable>(
        timeout: Duration = .seconds(3600), maxEvents: Int = 50_000_000,
        _ operation: sending @escaping () async throws -> T
    ) throws -> T {
        let running = start(operation)
        let outcome = run(until: now.advanced(by: timeout), maxEvents: maxEvents) { running.isDone }
        return try conclude(running, outcome: outcome, timeout: timeout) { $0() }
    }

    /// `runTask` for async callers: the same run, except that while outside work holds virtual time
    /// (`holdTime`) it suspends instead of blocking its thread, so the work it waits for (a framework's task on
    /// the cooperative pool) can have that thread. The simulation is driven in segments, each on whatever
    /// thread the caller resumed on; `segments` runs each one (`{ $0() }`, or under the caller's lock).
    public func runTask<T: Sendable>(
        timeout: Duration = .seconds(3600), maxEvents: Int = 50_000_000,
        segments drive: (() -> RunOutcome) -> RunOutcome,
        _ operation: sending @escaping () async throws -> T
    ) async throws -> T {
        let running = start(operation)
        let deadline = now.advanced(by: timeout)
        var outcome: RunOutcome
        var budget = maxEvents
        repeat {
            let before = eventCount
            outcome = drive { run(until: deadline, maxEvents: budget, blocking: false) { running.isDone } }
            budget -= eventCount - before
            if outcome == .heldByOutsideWork { await outsideWork() }
        } while outcome == .heldByOutsideWork
        return try conclude(running, outcome: outcome, timeout: timeout, drive: drive)
    }

    private func start<T: Sendable>(_ operation: sending @escaping () async throws -> T) -> RunningTask<T> {
        let running = RunningTask<T>()
        running.task = spawn { [running] in
            do {
                let value = try await operation()
                running.result.withLock { $0 = .success(value) }
            } catch {
                running.result.withLock { $0 = .failure(error) }
            }
        }
        return running
    }

    /// The task's result, or why it has none; a task that did not finish is cancelled and let unwind.
    private func conclude<T: Sendable>(
        _ running: RunningTask<T>, outcome: RunOutcome, timeout: Duration, drive: (() -> RunOutcome) -> RunOutcome
    ) throws -> T {
        if let finished = running.result.withLock({ $0 }) { return try finished.get() }
        let failure: SimulationError =
            switch outcome {
            case .eventLimit: .eventLimit(at: now)
            case .reachedDeadline: .timedOut(after: timeout, at: now)
            case .quiescent, .stopped, .heldByOutsideWork: .stalled(at: now)
            }
        // Do not abandon the task (it would stay suspended, and leak): cancel it and let it unwind. A virtual
        // sleep throws when cancelled and a cancelled stream iteration ends; the clock does not move.
        running.task?.cancel()
        _ = drive { run(until: now, maxEvents: 10_000) { running.isDone } }
        throw failure
    }
}

/// A task `runTask` started, and what it finished with.
private final class RunningTask<T: Sendable>: @unchecked Sendable {
    // Unchecked: `task` is set once, on the driving thread, before the simulation runs the task.
    let result = Mutex<Result<T, any Error>?>(nil)
    var task: Task<Void, any Error>?
    var isDone: Bool { result.withLock { $0 != nil } }
}
