import Synchronization

/// A `Clock` on the simulation's virtual time. `sleep(for: .seconds(30))` returns as soon as the
/// simulation reaches that instant, which takes no real time at all.
public struct VirtualClock: Clock, Sendable {
    public typealias Instant = VirtualInstant
    public typealias Duration = Swift.Duration

    let simulation: Simulation

    public var now: VirtualInstant { simulation.now }
    public var minimumResolution: Duration { .nanoseconds(1) }

    public func sleep(until deadline: VirtualInstant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let sleeper = Sleeper()
        let simulation = self.simulation
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                sleeper.start(continuation)
                // Scheduled through `post` so that a sleep begun off the driving thread is still ordered.
                simulation.post {
                    let event = simulation.schedule(at: deadline) { sleeper.finish(with: nil) }
                    sleeper.attach(event, simulation)
                }
            }
        } onCancel: {
            sleeper.finish(with: CancellationError())
        }
    }
}

/// One pending sleep: resumed once, by its timer or by cancellation, whichever comes first.
private final class Sleeper: Sendable {
    private struct State {
        var continuation: UnsafeContinuation<Void, any Error>?
        var event: Simulation.EventID?
        // Weak: the timer event in the simulation's queue holds this sleeper, which must not hold it back.
        weak var simulation: Simulation?
        var finished = false
    }

    private let state = Mutex(State())

    func start(_ continuation: UnsafeContinuation<Void, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    func attach(_ event: Simulation.EventID, _ simulation: Simulation) {
        let alreadyFinished = state.withLock { state -> Bool in
            state.event = event
            state.simulation = simulation
            return state.finished
        }
        if alreadyFinished { simulation.cancel(event) }
    }

    func finish(with error: (any Error)?) {
        let (continuation, event, simulation) = state.withLock { state in
            defer {
                state.continuation = nil
                state.finished = true
            }
            return (state.finished ? nil : state.continuation, state.event, state.simulation)
        }
        guard let continuation else { return }
        if let error {
            // Cancelled: the timer must not fire later. Cancelling happens on the driving thread.
            if let event, let simulation { simulation.post { simulation.cancel(event) } }
            continuation.resume(throwing: error)
        } else {
            continuation.resume()
        }
    }
}
