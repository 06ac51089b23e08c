package import WireSim

/// One end of a simulated link, as the runner's transport (the client end by default; the server end when the
/// script plays the server). Everything runs on the simulation's
/// driving thread; reads wait on virtual time.
// Unchecked: confined to the simulation's driving thread, like everything the simulation runs.
package final class SimulatedTransport: ByteTransport, LinkEndpoint, @unchecked Sendable {
    private let link: SimulatedLink
    private let side: SimulatedLink.Side
    private let start: VirtualInstant
    private var inbox = FIFOQueue<TransportInput>()
    private var waiter: CheckedContinuation<TransportInput, Never>?
    private var waiterTimer: Simulation.EventID?
    private var ended = false
    private var writeClosed = false

    package init(link: SimulatedLink, side: SimulatedLink.Side = .a) {
        self.link = link
        self.side = side
        start = link.simulation.now
        link.attach(side, self)
    }

    private var simulation: Simulation { link.simulation }

    package var elapsed: Duration { start.duration(to: simulation.now) }

    /// The simulated link queues whatever is written (its own options model slow links), so a write never waits.
    package func write(_ bytes: [UInt8], until deadline: Duration) async -> Bool {
        guard !writeClosed, !ended else { return true }
        link.send(from: side, bytes)
        return true
    }

    package func read(until deadline: Duration) async -> TransportInput {
        if let input = inbox.popFirst() { return input }
        // A cancelled reader (a client under test whose case is over) gets no more time: it winds down at once.
        if Task.isCancelled { return .timedOut }
        let instant = start.advanced(by: deadline)
        if simulation.now >= instant { return .timedOut }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Entering the continuation can take a hop through the executor, after which input may
                // already be waiting: take it rather than wait for more.
                if let input = inbox.popFirst() { return continuation.resume(returning: input) }
                waiter = continuation
                waiterTimer = simulation.schedule(at: instant) { [weak self] in self?.deliver(.timedOut) }
            }
        } onCancel: {
            // Runs on the driving thread too: `runTask` cancels from there when it gives up on the case.
            self.deliver(.timedOut)
        }
    }

    package func close() async {
        guard !writeClosed else { return }
        writeClosed = true
        if !ended { link.shutdownWrite(from: side) }
    }

    package func abort() async {
        guard !ended else { return }
        ended = true
        link.reset(from: side)
    }

    private func deliver(_ input: TransportInput) {
        guard let waiter else {
            if input != .timedOut { inbox.append(input) }
            return
        }
        self.waiter = nil
        if let waiterTimer { simulation.cancel(waiterTimer) }
        waiterTimer = nil
        waiter.resume(returning: input)
    }

    // MARK: LinkEndpoint

    package func linkDidReceive(_ bytes: [UInt8]) {
        guard !ended else { return }
        deliver(.bytes(bytes))
    }

    package func linkDidReachEndOfStream() {
        guard !ended else { return }
        ended = true
        deliver(.endOfStream)
    }

    package func linkDidReset() {
        guard !ended else { return }
        ended = true
        deliver(.reset)
    }
}
