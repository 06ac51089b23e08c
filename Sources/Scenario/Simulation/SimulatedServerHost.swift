import ReferenceServer
import WireSim

/// Runs a sans-IO `ServerSession` at the server end of a simulated link: bytes in, actions out, timers
/// on virtual time.
// Unchecked: confined to the simulation's driving thread.
final class SimulatedServerHost: LinkEndpoint, @unchecked Sendable {
    private let link: SimulatedLink
    private let session: any ServerSession
    private var timers: [ServerTimer: Simulation.EventID] = [:]
    private var ended = false

    init(link: SimulatedLink, session: any ServerSession) {
        self.link = link
        self.session = session
        link.attach(.b, self)
    }

    private func perform(_ actions: [ServerAction]) {
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
                if let existing = timers[timer] { link.simulation.cancel(existing) }
                timers[timer] = link.simulation.schedule(after: delay) { [self] in
                    timers[timer] = nil
                    perform(session.timerFired(timer))
                }
            case .cancelTimer(let timer):
                if let existing = timers.removeValue(forKey: timer) { link.simulation.cancel(existing) }
            }
        }
    }

    func linkDidReceive(_ bytes: [UInt8]) {
        guard !ended else { return }
        perform(session.receive(bytes))
    }

    func linkDidReachEndOfStream() { end() }
    func linkDidReset() { end() }

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
