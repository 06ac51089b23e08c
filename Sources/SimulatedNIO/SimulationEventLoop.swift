public import Dispatch
public import NIOCore
import Synchronization
public import WebSocketCore
public import WireSim

/// A SwiftNIO `EventLoop` whose thread is the simulation's driving thread and whose timers run on virtual time:
/// `execute` posts an event, `scheduleTask` schedules one, so a framework's channel handlers and timers run
/// as deterministically as the simulated link under them, and a 30 s idle timeout takes no real time.
///
/// Work handed to it from another thread (code a framework runs in an unstructured `Task`) is posted to the
/// simulation and runs on the driving thread, in order; it is never run where it was handed over.
///
/// Deadlines: NIO's only clock is the machine's uptime, and the frameworks compute a deadline as
/// `NIODeadline.now() + interval` (websocket-kit's pings do). So by default (`DeadlineClock.machine`) a deadline is
/// read as that interval from the real now, and runs that much later in virtual time; `now` is the real clock too,
/// so that `loop.now + interval` means the same. What this cannot bring onto virtual time is code that measures
/// elapsed time with NIO's clock (NIO's `IdleStateHandler` does): it sees almost no time pass
/// (docs/frameworks-in-process.md). wsspec's own NIO code reads the time from its loop (`loop.now`), so it runs on
/// `DeadlineClock.virtual`, where `now` is the simulation's clock and a run is the same under the same seed.
public final class SimulationEventLoop: EventLoop, @unchecked Sendable {
    /// What `now` and a task's deadline are measured on.
    public enum DeadlineClock: Sendable {
        /// The machine's uptime, as `NIODeadline.now()`: for code that computes deadlines from NIO's global clock.
        case machine
        /// The simulation's clock (nanoseconds since it started): for code that reads the time from its loop only.
        case virtual
    }

    public let deadlineClock: DeadlineClock
    // Unchecked: `simulation` is only touched as its own API allows (post from anywhere, the rest on the
    // driving thread, which is this loop's thread).
    public let simulation: Simulation

    /// The scheduled tasks not yet run or cancelled, each with what fails its promise: when the simulation discards
    /// its pending events (a case ends with a timer still set), their promises are failed instead of leaked (NIO
    /// traps on an unfulfilled promise).
    private let outstanding = Mutex<[ObjectIdentifier: @Sendable () -> Void]>([:])

    public init(simulation: Simulation, deadlineClock: DeadlineClock = .machine) {
        self.simulation = simulation
        self.deadlineClock = deadlineClock
        simulation.whenDiscarding { [weak self] in self?.failOutstandingTasks() }
    }

    /// A failed promise's callbacks may set new timers: those are failed too, a bounded number of rounds.
    private func failOutstandingTasks() {
        for _ in 0..<100 {
            let failures = outstanding.withLock { outstanding in
                defer { outstanding = [:] }
                return Array(outstanding.values)
            }
            if failures.isEmpty { return }
            for fail in failures { fail() }
        }
    }

    public var inEventLoop: Bool { simulation.isRunningOnThisThread }

    /// The machine's clock or the simulation's (see the type's note on deadlines).
    public var now: NIODeadline {
        switch deadlineClock {
        case .machine: .now()
        case .virtual: .uptimeNanoseconds(simulation.now.nanoseconds)
        }
    }

    public func execute(_ task: @escaping @Sendable () -> Void) {
        simulation.post(task)
    }

    public func scheduleTask<T>(deadline: NIODeadline, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        // Past deadlines run at once; `.distantFuture` (Int64.max) saturates the virtual clock, never traps.
        let remaining = deadline.uptimeNanoseconds.subtractingReportingOverflow(now.uptimeNanoseconds)
        return scheduleTask(in: .nanoseconds(Int64(clamping: remaining.overflow ? 0 : remaining.partialValue)), task)
    }

    public func scheduleTask<T>(in delay: TimeAmount, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        let promise = makePromise(of: T.self)
        let scheduled = ScheduledEvent()
        let key = ObjectIdentifier(scheduled)
        outstanding.withLock { $0[key] = { promise.fail(EventLoopError.shutdown) } }
        let simulation = simulation
        let delay = Duration.nanoseconds(max(0, delay.nanoseconds))
        let schedule: @Sendable () -> Void = { [self] in
            scheduled.id = simulation.schedule(after: delay) {
                scheduled.id = nil
                self.outstanding.withLock { _ = $0.removeValue(forKey: key) }
                // On the driving thread, which is this loop's: the value does not cross threads.
                do { promise.assumeIsolatedUnsafeUnchecked().succeed(try task()) } catch { promise.fail(error) }
            }
        }
        if inEventLoop { schedule() } else { simulation.post(schedule) }
        return Scheduled(promise: promise) { [self] in
            let cancel: @Sendable () -> Void = {
                guard let id = scheduled.id else { return }
                simulation.cancel(id)
                scheduled.id = nil
                self.outstanding.withLock { _ = $0.removeValue(forKey: key) }
                promise.fail(EventLoopError.cancelled)
            }
            if inEventLoop { cancel() } else { simulation.post(cancel) }
        }
    }

    public func preconditionInEventLoop(file: StaticString, line: UInt) {
        precondition(inEventLoop, "not on the simulation's driving thread", file: file, line: line)
    }

    public func preconditionNotInEventLoop(file: StaticString, line: UInt) {
        precondition(!inEventLoop, "on the simulation's driving thread", file: file, line: line)
    }

    public func shutdownGracefully(queue: DispatchQueue, _ callback: @escaping @Sendable ((any Error)?) -> Void) {
        queue.async { callback(nil) }
    }
}

/// The simulation event behind a scheduled NIO task, touched on the driving thread only.
private final class ScheduledEvent: @unchecked Sendable {
    var id: Simulation.EventID?
}

/// A wsspec session hosted on a simulated channel (a WebSocket router mounted in a framework's server) runs its
/// handlers on the simulation's executor and sleeps on virtual time, as it does on the simulated network directly.
extension SimulationEventLoop: SessionTaskContext {
    public func startTask(_ operation: sending @escaping () async -> Void) {
        _ = simulation.spawn(operation)
    }

    public func sleep(for duration: Duration) async throws {
        try await simulation.clock.sleep(for: duration)
    }
}
