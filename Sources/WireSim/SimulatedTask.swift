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
        let result = Mutex<Result<T, any Error>?>(nil)
        let task = spawn {
            do {
                let value = try await operation()
                result.withLock { $0 = .success(value) }
            } catch {
                result.withLock { $0 = .failure(error) }
            }
        }
        let deadline = now.advanced(by: timeout)
        let outcome = run(until: deadline, maxEvents: maxEvents) { result.withLock { $0 != nil } }
        if let finished = result.withLock({ $0 }) { return try finished.get() }
        let failure: SimulationError =
            switch outcome {
            case .eventLimit: .eventLimit(at: now)
            case .reachedDeadline: .timedOut(after: timeout, at: now)
            case .quiescent, .stopped, .heldByOutsideWork: .stalled(at: now)
            }
        // Do not abandon the task (it would stay suspended, and leak): cancel it and let it unwind. A virtual
        // sleep throws when cancelled and a cancelled stream iteration ends; the clock does not move.
        task.cancel()
        run(until: now, maxEvents: 10_000) { result.withLock { $0 != nil } }
        throw failure
    }
}

extension Simulation {
    /// `runTask` for async callers: the same run, except that while outside work holds virtual time
    /// (`holdTime`) it suspends instead of blocking its thread, so the work it waits for (a framework's task on
    /// the cooperative pool) can have that thread. The simulation is driven in segments, each on whatever
    /// thread the caller resumed on; `segments` runs each one (`{ $0() }`, or under the caller's lock).
    public func runTask<T: Sendable>(
        timeout: Duration = .seconds(3600), maxEvents: Int = 50_000_000,
        segments drive: (() -> RunOutcome) -> RunOutcome,
        _ operation: sending @escaping () async throws -> T
    ) async throws -> T {
        let result = Mutex<Result<T, any Error>?>(nil)
        let task = spawn {
            do {
                let value = try await operation()
                result.withLock { $0 = .success(value) }
            } catch {
                result.withLock { $0 = .failure(error) }
            }
        }
        let deadline = now.advanced(by: timeout)
        var outcome: RunOutcome
        var budget = maxEvents
        repeat {
            let before = eventCount
            outcome = drive { run(until: deadline, maxEvents: budget, blocking: false) { result.withLock { $0 != nil } } }
            budget -= eventCount - before
            if outcome == .heldByOutsideWork { await outsideWork() }
        } while outcome == .heldByOutsideWork
        if let finished = result.withLock({ $0 }) { return try finished.get() }
        let failure: SimulationError =
            switch outcome {
            case .eventLimit: .eventLimit(at: now)
            case .reachedDeadline: .timedOut(after: timeout, at: now)
            case .quiescent, .stopped, .heldByOutsideWork: .stalled(at: now)
            }
        task.cancel()
        _ = drive { run(until: now, maxEvents: 10_000) { result.withLock { $0 != nil } } }
        throw failure
    }
}
