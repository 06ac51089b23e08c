package import WebSocketCore
package import WireSim

/// Runs a sans-IO `ServerSession` at the server end of a simulated link: bytes in, actions out, timers
/// on virtual time. Tasks the session starts run on the simulation's executor and sleep on its clock, so
/// application handlers are as deterministic as the link.
// Unchecked: confined to the simulation's driving thread (`SessionHostAdapter` posts to it).
package final class SimulatedServerHost: LinkEndpoint, SimulatedServerEndpoint, @unchecked Sendable {
    private let link: SimulatedLink
    private let session: any ServerSession
    private var timers: [ServerTimer: Simulation.EventID] = [:]
    private var ended = false
    /// Tasks the session started (application handlers), for `shutDown()`.
    fileprivate var tasks: [Task<Void, any Error>] = []
    /// While the session has paused reading: what arrived meanwhile, and whether the stream ended after it.
    private var paused = false
    private var heldInput = FIFOQueue<[UInt8]>()
    private var endOfStreamHeld = false

    package init(link: SimulatedLink, session: any ServerSession) {
        self.link = link
        self.session = session
        link.attach(.b, self)
        session.attach(SessionHostAdapter(host: self, simulation: link.simulation))
    }

    fileprivate func perform(_ actions: [ServerAction]) {
        for action in actions {
            switch action {
            case .write(let bytes):
                if !ended { link.send(from: .b, bytes) }
            case .closeTransport:
                guard !ended else { continue }
                ended = true
                cancelTimers()
                link.shutdownWrite(from: .b)
                // Our socket is closed: the session learns at once that the transport is gone.
                link.simulation.schedule(after: .zero) { [self] in perform(session.transportEnded()) }
            case .resetTransport:
                guard !ended else { continue }
                ended = true
                cancelTimers()
                link.reset(from: .b)
                link.simulation.schedule(after: .zero) { [self] in perform(session.transportEnded()) }
            case .startTimer(let timer, let delay):
                guard !ended else { continue }
                if let existing = timers[timer] { link.simulation.cancel(existing) }
                timers[timer] = link.simulation.schedule(after: delay) { [self] in
                    timers[timer] = nil
                    perform(session.timerFired(timer))
                }
            case .cancelTimer(let timer):
                if let existing = timers.removeValue(forKey: timer) { link.simulation.cancel(existing) }
            case .pauseReading:
                paused = true
            case .resumeReading:
                paused = false
                releaseHeldInput()
            }
        }
    }

    /// Ends the connection (a reset) and cancels the session's tasks, so that none stays suspended once the
    /// simulation is dropped; run the simulation afterwards to let them unwind.
    package func shutDown() {
        perform([.resetTransport])
        for task in tasks { task.cancel() }
        tasks = []
    }

    package func linkDidReceive(_ bytes: [UInt8]) {
        guard !ended else { return }
        if paused { return heldInput.append(bytes) }
        perform(session.receive(bytes))
    }

    package func linkDidReachEndOfStream() {
        if paused { return endOfStreamHeld = true }
        end()
    }

    /// Hands the session what arrived while it was paused, until it pauses again.
    private func releaseHeldInput() {
        while !paused, !ended, let bytes = heldInput.popFirst() {
            perform(session.receive(bytes))
        }
        if !paused, endOfStreamHeld {
            endOfStreamHeld = false
            end()
        }
    }
    package func linkDidReset() { end() }

    private func end() {
        guard !ended else { return }
        ended = true
        perform(session.transportEnded())
        cancelTimers()
    }

    /// A closed connection has nothing left to time.
    private func cancelTimers() {
        for timer in timers.values { link.simulation.cancel(timer) }
        timers = [:]
    }
}

/// The simulated host as a session sees it: actions posted to the driving thread in order, tasks on the
/// simulation's executor, sleeps on virtual time.
private final class SessionHostAdapter: ServerSessionHost, @unchecked Sendable {
    // Weak: the host holds the session, which holds this adapter.
    private weak var host: SimulatedServerHost?
    private let simulation: Simulation

    init(host: SimulatedServerHost, simulation: Simulation) {
        self.host = host
        self.simulation = simulation
    }

    func perform(_ actions: [ServerAction]) {
        guard !actions.isEmpty else { return }
        simulation.post { [weak host] in host?.perform(actions) }
    }

    func startTask(_ operation: sending @escaping () async -> Void) {
        let task = simulation.spawn(operation)
        // Sessions start tasks from the driving thread, where the host lives.
        host?.tasks.append(task)
    }

    func sleep(for duration: Duration) async throws {
        try await simulation.clock.sleep(for: duration)
    }
}
