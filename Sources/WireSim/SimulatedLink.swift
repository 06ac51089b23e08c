/// What sits at one end of a simulated link.
public protocol LinkEndpoint: AnyObject {
    /// Bytes arrived, in order.
    func linkDidReceive(_ bytes: [UInt8])
    /// The peer shut down its sending direction: no more bytes will come.
    func linkDidReachEndOfStream()
    /// The connection was reset or lost: nothing more will come either way.
    func linkDidReset()
}

/// A duplex byte stream between two endpoints, like a TCP connection: bytes arrive in order, but cut,
/// delayed, stalled or cut off as each direction's `LinkOptions` say.
public final class SimulatedLink {
    public enum Side: Sendable, Hashable {
        case a, b
        public var other: Side { self == .a ? .b : .a }
    }

    private final class Direction {
        let from: String, to: String
        var options: LinkOptions
        weak var receiver: (any LinkEndpoint)?
        var lastDepartureEnd = VirtualInstant.zero
        var lastArrival = VirtualInstant.zero
        var held = false
        var heldSegments: [Segment] = []
        var writeShutdown = false
        var endOfStreamAfterRelease = false
        var delivered = 0
        init(from: String, to: String, options: LinkOptions) {
            self.from = from
            self.to = to
            self.options = options
        }
    }

    public let simulation: Simulation
    public let name: String
    public let names: (a: String, b: String)
    private let aToB: Direction
    private let bToA: Direction
    public private(set) var isReset = false

    /// - Parameters:
    ///   - options: the a→b direction's behaviour; `reverse` the b→a one (the same when nil).
    public init(
        simulation: Simulation, name: String = "link", names: (a: String, b: String) = ("client", "server"),
        options: LinkOptions = .ideal, reverse: LinkOptions? = nil
    ) {
        self.simulation = simulation
        self.name = name
        self.names = names
        aToB = Direction(from: names.a, to: names.b, options: options)
        bToA = Direction(from: names.b, to: names.a, options: reverse ?? options)
    }

    /// Attaches the endpoint that receives what the other side sends.
    public func attach(_ side: Side, _ endpoint: any LinkEndpoint) {
        direction(from: side.other).receiver = endpoint
    }

    private func direction(from side: Side) -> Direction { side == .a ? aToB : bToA }

    /// Changes a direction's behaviour from now on (segments already in flight keep their timing).
    public func setOptions(_ options: LinkOptions, from side: Side) { direction(from: side).options = options }

    /// Writes bytes from `side`. Writes after a reset or after `shutdownWrite` are dropped, as by a socket.
    public func send(from side: Side, _ bytes: [UInt8]) {
        let direction = direction(from: side)
        guard !isReset, !direction.writeShutdown, !bytes.isEmpty else { return }
        let pieces = segments(of: bytes, direction.options.segmentation)
        if direction.held {
            direction.heldSegments += pieces
        } else {
            transmit(pieces, on: direction)
        }
    }

    /// Shuts down `side`'s sending direction (half-close, like a TCP FIN): the other side reads
    /// end-of-stream after the bytes already sent.
    public func shutdownWrite(from side: Side) {
        let direction = direction(from: side)
        guard !isReset, !direction.writeShutdown else { return }
        direction.writeShutdown = true
        if direction.held {
            direction.endOfStreamAfterRelease = true
        } else {
            scheduleEndOfStream(on: direction)
        }
    }

    /// Resets the connection from `side` (like a TCP RST): what is in flight is dropped and the other side
    /// is told after one latency.
    public func reset(from side: Side) {
        guard !isReset else { return }
        isReset = true
        let sideName = side == .a ? names.a : names.b
        simulation.record(.init(time: simulation.now, kind: .reset(link: name, by: sideName)))
        let direction = direction(from: side)
        let delay = Duration.nanoseconds(latency(direction.options))
        simulation.schedule(after: delay) { [weak receiver = direction.receiver] in receiver?.linkDidReset() }
    }

    /// Holds everything `side` sends from now on, until `release(from:)`.
    public func stall(from side: Side) {
        let direction = direction(from: side)
        guard !direction.held else { return }
        direction.held = true
        simulation.record(.init(time: simulation.now, kind: .stall(from: direction.from, to: direction.to, held: true)))
    }

    /// Sends what a stall held back, in order, starting now.
    public func release(from side: Side) {
        let direction = direction(from: side)
        guard direction.held else { return }
        direction.held = false
        simulation.record(.init(time: simulation.now, kind: .stall(from: direction.from, to: direction.to, held: false)))
        let pending = direction.heldSegments
        direction.heldSegments = []
        guard !isReset else { return }
        transmit(pending, on: direction)
        if direction.endOfStreamAfterRelease {
            direction.endOfStreamAfterRelease = false
            scheduleEndOfStream(on: direction)
        }
    }

    // MARK: Timing

    /// A piece of one write, by position: its bytes are copied out only when it is delivered, so a large write
    /// is not copied into tens of thousands of arrays up front (and read back from memory that has gone cold).
    private struct Segment {
        let write: [UInt8]
        let range: Range<Int>
        var count: Int { range.count }
        var bytes: [UInt8] { range.count == write.count ? write : Array(write[range]) }
    }

    private func segments(of bytes: [UInt8], _ segmentation: LinkOptions.Segmentation) -> [Segment] {
        var pieces: [Segment] = []
        var start = 0
        while start < bytes.count {
            let size: Int
            switch segmentation {
            case .whole: size = bytes.count
            case .fixed(let n): size = max(1, n)
            case .everyByte: size = 1
            case .random(let range): size = max(1, simulation.random.int(in: range))
            }
            let end = min(bytes.count, start + size)
            pieces.append(Segment(write: bytes, range: start..<end))
            start = end
        }
        return pieces
    }

    /// One draw of the direction's latency, in nanoseconds: per segment, `Duration`'s 128-bit arithmetic was a
    /// tenth of the cost. The draw is the one `SimulationRandom.duration(in:)` makes.
    private func latency(_ options: LinkOptions) -> Int64 {
        switch options.latency {
        case .fixed(let delay): delay.nanoseconds
        case .random(let range): Int64.random(in: range.lowerBound.nanoseconds...range.upperBound.nanoseconds, using: &simulation.random)
        }
    }

    /// Schedules the segments of one write. Consecutive segments due at the same instant travel in one event
    /// and still arrive one by one: nothing else can be scheduled between them within one write, so the order
    /// of everything is what one event per segment would give, at a fraction of the cost (a 16 MiB write
    /// is some 65 000 segments).
    private func transmit(_ segments: [Segment], on direction: Direction) {
        var batch: [Segment] = []
        var batchArrival = VirtualInstant.zero
        for segment in segments {
            let arrival = arrivalTime(of: segment.count, on: direction)
            if !batch.isEmpty && arrival != batchArrival {
                schedule(batch, at: batchArrival, on: direction)
                batch = []
            }
            batch.append(segment)
            batchArrival = arrival
        }
        if !batch.isEmpty { schedule(batch, at: batchArrival, on: direction) }
    }

    private func schedule(_ batch: [Segment], at arrival: VirtualInstant, on direction: Direction) {
        simulation.schedule(at: arrival) { [self] in
            // The receiver is looked up once per batch (a weak load per segment showed in profiles).
            let receiver = direction.receiver
            for segment in batch { deliver(segment.bytes, on: direction, to: receiver) }
        }
    }

    /// Computed in nanoseconds, as `latency(_:)` is.
    private func arrivalTime(of size: Int, on direction: Direction) -> VirtualInstant {
        let options = direction.options
        let departure = max(simulation.now, direction.lastDepartureEnd)
        var sendingTime: Int64 = 0
        if let rate = options.bytesPerSecond, rate > 0 {
            sendingTime = Int64(size) * 1_000_000_000 / Int64(rate)
        }
        direction.lastDepartureEnd = departure.advanced(byNanoseconds: sendingTime)
        var arrival = direction.lastDepartureEnd.advanced(byNanoseconds: latency(options))
        if let stalls = options.stalls, simulation.random.chance(stalls.probability) {
            arrival = arrival.advanced(by: simulation.random.duration(in: stalls.duration))
        }
        // In order, like TCP: a segment never overtakes the one before it.
        arrival = max(arrival, direction.lastArrival)
        direction.lastArrival = arrival
        return arrival
    }

    private func deliver(_ segment: [UInt8], on direction: Direction, to receiver: (any LinkEndpoint)?) {
        guard !isReset else { return }
        var bytes = segment
        var lost = false
        if let limit = direction.options.lossAfterBytes, direction.delivered + bytes.count >= limit {
            bytes = Array(bytes.prefix(max(0, limit - direction.delivered)))
            lost = true
        }
        if !bytes.isEmpty {
            direction.delivered += bytes.count
            simulation.record(.init(time: simulation.now, kind: .bytes(from: direction.from, to: direction.to, bytes)))
            receiver?.linkDidReceive(bytes)
        }
        if lost && !isReset {
            // The connection is lost: both ends learn it now, and nothing more crosses.
            isReset = true
            simulation.record(.init(time: simulation.now, kind: .reset(link: name, by: "loss")))
            aToB.receiver?.linkDidReset()
            bToA.receiver?.linkDidReset()
        }
    }

    private func scheduleEndOfStream(on direction: Direction) {
        let arrival = max(
            direction.lastArrival, direction.lastDepartureEnd.advanced(byNanoseconds: latency(direction.options)),
            simulation.now)
        direction.lastArrival = arrival
        simulation.schedule(at: arrival) { [self] in
            guard !isReset else { return }
            simulation.record(.init(time: simulation.now, kind: .endOfStream(from: direction.from, to: direction.to)))
            direction.receiver?.linkDidReachEndOfStream()
        }
    }
}
