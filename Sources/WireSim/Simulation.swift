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

    /// Drops every scheduled event. Events often capture the simulation (a timer that reschedules itself,
    /// a link delivery), so a run that stops with work still queued keeps the simulation alive until this
    /// is called.
    public func discardPendingEvents() {
        queue = EventQueue()
        cancelled.removeAll()
    }

    /// Hands work to the driving thread from any thread; it runs as an event at the current time.
    public func post(_ action: @escaping @Sendable () -> Void) {
        if isOnDrivingThread {
            schedule(at: now, action)
        } else {
            inbox.withLock { $0.append(action) }
        }
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
    }

    /// Runs events in order until the condition holds, nothing is left, the deadline passes or the event
    /// budget is spent. Time jumps from event to event; nothing waits for real time.
    @discardableResult
    public func run(
        until deadline: VirtualInstant? = nil, maxEvents: Int = 50_000_000,
        stopWhen condition: () -> Bool = { false }
    ) -> RunOutcome {
        let outer = driver
        driver = pthread_self()
        defer { driver = outer }
        var budget = maxEvents
        while true {
            if condition() { return .stopped }
            drainInbox()
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
