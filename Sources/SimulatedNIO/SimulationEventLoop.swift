public import Dispatch
public import NIOCore
public import WireSim

/// A SwiftNIO `EventLoop` whose thread is the simulation's driving thread and whose clock is virtual time:
/// `execute` posts an event, `scheduleTask` schedules one, so a framework's channel handlers and timers run
/// as deterministically as the simulated link under them, and a 30 s idle timeout takes no real time.
///
/// Work handed to it from another thread (code a framework runs in an unstructured `Task`) is posted to the
/// simulation and runs on the driving thread, in order; it is never run where it was handed over.
public final class SimulationEventLoop: EventLoop, @unchecked Sendable {
    // Unchecked: `simulation` is only touched as its own API allows (post from anywhere, the rest on the
    // driving thread, which is this loop's thread).
    public let simulation: Simulation
    /// The NIO deadline that virtual time zero stands for: NIO's deadlines are uptimes.
    private let origin: NIODeadline

    public init(simulation: Simulation) {
        self.simulation = simulation
        origin = .now()
    }

    public var inEventLoop: Bool { simulation.isRunningOnThisThread }

    public var now: NIODeadline { deadline(of: simulation.now) }

    public func execute(_ task: @escaping @Sendable () -> Void) {
        simulation.post(task)
    }

    public func scheduleTask<T>(deadline: NIODeadline, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        scheduleTask(in: deadline - now, task)
    }

    public func scheduleTask<T>(in delay: TimeAmount, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        let promise = makePromise(of: T.self)
        let scheduled = ScheduledEvent()
        let simulation = simulation
        let delay = Duration.nanoseconds(max(0, delay.nanoseconds))
        let schedule: @Sendable () -> Void = {
            scheduled.id = simulation.schedule(after: delay) {
                scheduled.id = nil
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

    /// Saturates at the largest deadline NIO can hold: a simulation stood at the end of time must not trap.
    private func deadline(of instant: VirtualInstant) -> NIODeadline {
        let limit = UInt64(Int64.max)
        let base = min(origin.uptimeNanoseconds, limit)
        return .uptimeNanoseconds(base + min(instant.nanoseconds, limit - base))
    }
}

/// The simulation event behind a scheduled NIO task, touched on the driving thread only.
private final class ScheduledEvent: @unchecked Sendable {
    var id: Simulation.EventID?
}
