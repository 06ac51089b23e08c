import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A single-threaded discrete-event simulation: a virtual clock, a queue of events ordered by
/// (time, scheduling order), the run's only random generator, and its trace.
///
/// The thread that calls `run` drives everything: events, timers, link deliveries and the jobs of async
/// code started with `spawn` (see `SimulationExecutor`). Jobs and wake-ups that arrive from any other
/// thread are put in an inbox and become events at the current time; a deterministic program never
/// causes them, and the determinism check notices when one does.
public final class Simulation: @unchecked Sendable {
    public let seed: UInt64
    public private(set) var now: VirtualInstant = .zero
    /// The run's randomness: every random choice (segment sizes, latencies, mask keys, ...) comes from here.
    public var random: SimulationRandom
    public private(set) var trace = Trace()
    /// Whether the trace records anything. A run that never reads it (a conformance run) turns it off: the
    /// trace keeps every byte that crossed, which for the load sections is megabytes per case.
    public let isTracing: Bool
    /// Events run so far.
    public private(set) var eventCount = 0

    private var queue = EventQueue()
    private var nextSequence: UInt64 = 0
    private var nextID: UInt64 = 0
    private var cancelled: Set<UInt64> = []
    private let inbox = Mutex<[@Sendable () -> Void]>([])
    private var driver: pthread_t?
    /// Told, on the discarding thread, before pending events are dropped (`whenDiscarding`).
    private var discardHandlers: [() -> Void] = []
    /// Work running outside the simulation that the run waits for before virtual time moves (`holdTime`).
    private let outside = Mutex(OutsideWork())
    /// Signalled by every post from another thread, for a run that waits on outside work.
    private let posted = DispatchSemaphore(value: 0)

    public init(seed: UInt64, tracing: Bool = true) {
        self.seed = seed
        isTracing = tracing
        random = SimulationRandom(seed: seed)
    }

    /// The executor on which `spawn`ed tasks run, one job per event.
    public private(set) lazy var executor = SimulationExecutor(simulation: self)
    /// The serial executor for actors that should run inside the simulation.
    public private(set) lazy var serialExecutor = SimulationSerialExecutor(simulation: self)
    /// A `Clock` on virtual time: `sleep` returns when the simulation reaches the deadline.
    public var clock: VirtualClock { VirtualClock(simulation: self) }

    // MARK: Scheduling

    /// A scheduled event, for cancelling it.
    public struct EventID: Sendable, Hashable {
        let value: UInt64
    }

    @discardableResult
    public func schedule(at time: VirtualInstant, _ action: @escaping () -> Void) -> EventID {
        let id = nextID
        nextID += 1
        queue.push(.init(time: max(time, now), sequence: nextSequence, id: id, action: action))
        nextSequence += 1
        return EventID(value: id)
    }

    @discardableResult
    public func schedule(after delay: Duration, _ action: @escaping () -> Void) -> EventID {
        schedule(at: now.advanced(by: delay), action)
    }

    public func cancel(_ event: EventID) { cancelled.insert(event.value) }

    /// Calls `handler` each time pending events are about to be discarded, on the discarding thread, which counts
    /// as the driving thread meanwhile: for a host whose events carry obligations that must not just vanish (an
    /// event loop's scheduled task owes its promise a result). Call it where the simulation is set up.
    public func whenDiscarding(_ handler: @escaping () -> Void) { discardHandlers.append(handler) }

    /// Drops every scheduled event. Events often capture the simulation (a timer that reschedules itself,
    /// a link delivery), so a run that stops with work still queued keeps the simulation alive until this
    /// is called.
    public func discardPendingEvents() {
        // What holds work in an event (a promise a timer must keep) settles it now, as if the run were here.
        let outer = driver
        driver = pthread_self()
        for handler in discardHandlers { handler() }
        driver = outer
        queue = EventQueue()
        cancelled.removeAll()
        inbox.withLock { $0.removeAll() }
    }

    /// Hands work to the driving thread from any thread; it runs as an event at the current time.
    public func post(_ action: @escaping @Sendable () -> Void) {
        // Only the thread running the simulation may touch its queue. Any other (a framework's own task, even
        // while no run is under way) goes through the inbox, which the next run drains at its current time.
        if isRunningOnThisThread {
            schedule(at: now, action)
        } else {
            inbox.withLock { $0.append(action) }
            posted.signal()
            wakeOutsideWorkWaiter()
        }
    }

    /// Whether the calling thread is the one running the simulation now (false while nothing runs it).
    public var isRunningOnThisThread: Bool {
        guard let driver else { return false }
        return pthread_equal(driver, pthread_self()) != 0
    }

    // MARK: Work outside the simulation

    /// Holds virtual time still while work the simulation cannot see is under way: code that a host runs on
    /// threads of its own (a framework that answers an upgrade from an unstructured `Task`) and that will
    /// `post` its result. Until the hold is released, a run waits in real time for posts instead of moving
    /// the clock, so that a client's timeout does not pass while the answer is being computed. A hold that
    /// is not released within `limit` of real time stops holding, and the trace says so. The limit is generous
    /// because the outside work needs a thread of Swift's cooperative pool, which other tests of the same
    /// process may keep busy for seconds; it is reached only by an application that never answers.
    public func holdTime(_ why: String, limit: Duration = .seconds(60)) -> TimeHold {
        let hold = TimeHold(simulation: self, why: why, limit: limit)
        outside.withLock { $0.holds[ObjectIdentifier(hold)] = hold.limit }
        return hold
    }

    fileprivate func release(_ hold: TimeHold) {
        outside.withLock { _ = $0.holds.removeValue(forKey: ObjectIdentifier(hold)) }
        posted.signal()
        wakeOutsideWorkWaiter()
    }

    /// Whether a hold is in force; holds past their limit are dropped (and traced).
    private func isHeld() -> Bool {
        let now = ContinuousClock.now
        let (held, expired) = outside.withLock { state -> (Bool, Bool) in
            let before = state.holds.count
            state.holds = state.holds.filter { $0.value > now }
            return (!state.holds.isEmpty, state.holds.count < before)
        }
        if expired { record("simulation", "outside work did not finish within its real-time limit; the clock moves on") }
        return held
    }

    /// Returns once something was posted from another thread or a hold was released (or reached its limit):
    /// what a non-blocking run (`run(blocking: false)`) awaits after `.heldByOutsideWork`. Suspends; holds no thread.
    public func outsideWork() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let limit = outside.withLock { state -> ContinuousClock.Instant? in
                // Something may have come between the run's return and now.
                if !inbox.withLock({ $0.isEmpty }) || state.holds.isEmpty { return nil }
                state.waiter = continuation
                return state.holds.values.min()
            }
            guard let limit else { return continuation.resume() }
            // A hold that is never released: wake at its limit, and the next run drops it.
            DispatchQueue.global().asyncAfter(deadline: .dispatchTime(at: limit)) { [weak self] in
                self?.wakeOutsideWorkWaiter()
            }
        }
    }

    private func wakeOutsideWorkWaiter() {
        outside.withLock { state in state.waiter.take() }?.resume()
    }

    /// Waits, in real time, until something is posted or a hold is released or reaches its limit; false when
    /// nothing holds.
    private func waitForOutsideWork() -> Bool {
        guard isHeld(), let earliest = outside.withLock({ $0.holds.values.min() }) else { return false }
        _ = posted.wait(timeout: .dispatchTime(at: earliest))
        return true
    }

    var isOnDrivingThread: Bool {
        guard let driver else { return true } // Not running: setting up on the caller's thread.
        return pthread_equal(driver, pthread_self()) != 0
    }

    /// Appends an endpoint's event to the trace, at the current time.
    public func record(_ source: String, _ event: String) {
        if isTracing { trace.append(.init(time: now, kind: .event(source: source, description: event))) }
    }

    func record(_ entry: @autoclosure () -> Trace.Entry) {
        if isTracing { trace.append(entry()) }
    }

    // MARK: Running

    public enum RunOutcome: Sendable, Hashable {
        /// Nothing is left to happen.
        case quiescent
        /// The deadline came; the clock stands at it.
        case reachedDeadline
        /// The stop condition became true.
        case stopped
        /// The event budget ran out: something keeps scheduling work (a loop without a wait?).
        case eventLimit
        /// Virtual time would move, but outside work holds it (`holdTime`) and the caller asked not to block:
        /// await `outsideWork()`, then run again.
        case heldByOutsideWork
    }

    /// Runs events in order until the condition holds, nothing is left, the deadline passes or the event
    /// budget is spent. Time jumps from event to event; nothing waits for real time, except for outside work
    /// that holds it (`holdTime`).
    /// - Parameter blocking: when outside work holds virtual time, wait for it on this thread (true), or return
    ///   `.heldByOutsideWork` so that async code can await `outsideWork()` without holding a thread (false).
    @discardableResult
    public func run(
        until deadline: VirtualInstant? = nil, maxEvents: Int = 50_000_000, blocking: Bool = true,
        stopWhen condition: () -> Bool = { false }
    ) -> RunOutcome {
        let outer = driver
        driver = pthread_self()
        defer { driver = outer }
        var budget = maxEvents
        while true {
            if condition() { return .stopped }
            drainInbox()
            // Virtual time is about to move (or the run to end). What another thread posted since the inbox was
            // drained happened now, before anything later; and held outside work finishes first.
            if queue.nextTime.map({ $0 > now }) ?? true {
                if !inbox.withLock({ $0.isEmpty }) { continue }
                if !blocking, isHeld() { return .heldByOutsideWork }
                if waitForOutsideWork() { continue }
            }
            guard let next = queue.nextTime else { return .quiescent }
            if let deadline, next > deadline {
                now = max(now, deadline)
                return .reachedDeadline
            }
            if budget == 0 { return .eventLimit }
            budget -= 1
            let event = queue.pop()!
            if cancelled.remove(event.id) != nil { continue }
            now = event.time
            eventCount += 1
            event.action()
        }
    }

    /// Runs everything due within `duration` of virtual time, then stands the clock at its end.
    @discardableResult
    public func advance(by duration: Duration, maxEvents: Int = 50_000_000) -> RunOutcome {
        let deadline = now.advanced(by: duration)
        let outcome = run(until: deadline, maxEvents: maxEvents)
        if outcome == .quiescent { now = max(now, deadline) }
        return outcome
    }

    private func drainInbox() {
        let posted = inbox.withLock { actions -> [@Sendable () -> Void] in
            defer { actions.removeAll() }
            return actions
        }
        for action in posted { schedule(at: now, action) }
    }
}

/// Outside work the simulation waits for: each hold's real-time limit.
private struct OutsideWork: Sendable {
    var holds: [ObjectIdentifier: ContinuousClock.Instant] = [:]
    /// An async run waiting for outside work (`Simulation.outsideWork()`).
    var waiter: CheckedContinuation<Void, Never>?
}

/// A hold on virtual time (`Simulation.holdTime`); release it when the outside work has posted its result.
/// Releasing twice, or after the limit passed, does nothing.
public final class TimeHold: Sendable {
    private weak let simulation: Simulation?
    public let why: String
    let limit: ContinuousClock.Instant

    init(simulation: Simulation, why: String, limit: Duration) {
        self.simulation = simulation
        self.why = why
        self.limit = ContinuousClock.now + limit
    }

    public func release() { simulation?.release(self) }
}

extension DispatchTime {
    /// The dispatch time `instant` of the continuous clock stands for (now, if it has passed).
    fileprivate static func dispatchTime(at instant: ContinuousClock.Instant) -> DispatchTime {
        let (seconds, attoseconds) = ContinuousClock.now.duration(to: instant).components
        return .now() + .nanoseconds(max(0, Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)))
    }
}
