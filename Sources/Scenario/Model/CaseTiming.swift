/// What a case's duration is made of against a prompt, conforming server, read off its steps: the time it
/// waits by design (scripted waits, pauses between write segments, and the server's own clock in the
/// keepalive cases) and the bytes its round trips move. It orders the work of a run (the longest first,
/// so a long wait overlaps the rest), and `wsspec list` and the progress line show it.
public struct CaseTiming: Sendable, Hashable {
    /// The time the case spends waiting on purpose; a prompt server cannot make it shorter.
    public var waiting: Duration = .zero
    /// The message bytes the case's round trips send (each comes back as an echo), and how many messages.
    public var loadBytes = 0
    public var loadMessages = 0
    /// The largest message or frame payload the case sends at once: what its buffers hold at their peak is a small
    /// multiple of it (the payload, its frames, the echo), so a server that runs cases admits them by it.
    public var largestMessage = 0
    /// The longest single wait, in words (e.g. `nothing for 5s`): what a slow case is waiting for.
    public var longestWait: String?
    private var longest: Duration = .zero

    public init() {}

    /// An estimate of the whole: the waits plus the load at `throughput` bytes a second each way.
    public func estimate(throughput: Double = 50_000_000) -> Duration {
        waiting + .seconds(2 * Double(loadBytes) / throughput)
    }

    /// `5s`, `1000 × 16 KiB`, `5s + 1 × 1.0 MiB`, or `-` for a case that waits for nothing.
    public var summary: String {
        let load = loadMessages > 0 ? "\(loadMessages) × \(Self.bytes(loadBytes / loadMessages))" : nil
        let parts = [waiting > .zero ? waiting.formatted : nil, load]
        let text = parts.compactMap { $0 }.joined(separator: " + ")
        return text.isEmpty ? "-" : text
    }

    mutating func wait(_ duration: Duration, _ what: @autoclosure () -> String) {
        guard duration > .zero else { return }
        waiting += duration
        if duration > longest {
            longest = duration
            longestWait = what()
        }
    }

    /// `16 B`, `64 KiB`, `1 MiB`: sizes as the catalog's titles give them.
    static func bytes(_ count: Int) -> String {
        if count >= 1 << 20 && count % (1 << 20) == 0 { return "\(count >> 20) MiB" }
        if count >= 1 << 10 && count % (1 << 10) == 0 { return "\(count >> 10) KiB" }
        return "\(count) B"
    }
}

extension ScenarioCase {
    /// The case's timing under the run's parameters (the keepalive cases wait on the server's intervals).
    public func timing(_ parameters: RunParameters) -> CaseTiming {
        var walk = TimingWalk(parameters: parameters)
        walk.add(steps, serverClock: false)
        return walk.timing
    }
}

/// Walks a case's steps the way the runner performs them, adding up what takes time.
private struct TimingWalk {
    let parameters: RunParameters
    var timing = CaseTiming()
    var segmentSize: Int?
    var segmentDelay: Duration = .zero

    /// `serverClock`: inside steps built from the run's parameters, a `within` is the server's own interval
    /// (a ping comes when the server's clock says so), not a deadline a prompt server beats.
    mutating func add(_ steps: [Step], serverClock: Bool) {
        for step in steps {
            switch step {
            case .open, .answerPings, .answerClose, .needsCompression:
                break
            case .send(let spec):
                write(spec.frame.payload.count + 14)
                timing.largestMessage = max(timing.largestMessage, spec.frame.payload.count)
            case .sendRaw(let bytes):
                write(bytes.count)
                timing.largestMessage = max(timing.largestMessage, bytes.count)
            case .sendFragmented(_, let payload, let fragments):
                write(payload.count + 14 * max(1, fragments))
                timing.largestMessage = max(timing.largestMessage, payload.count)
            case .segmentWrites(let size, let delay):
                segmentSize = size.map { max(1, $0) }
                segmentDelay = delay
            case .roundTrips(let trips):
                let count = trips.effectiveCount(budget: parameters.roundTripBudget)
                timing.loadMessages += count
                timing.loadBytes += count * trips.messageSize
                if count > 0 { timing.largestMessage = max(timing.largestMessage, trips.messageSize) }
            case .wait(let duration):
                timing.wait(duration, "a pause of \(duration.formatted)")
            case .expect(let expectation):
                add(expectation, serverClock: serverClock)
            case .oneOf(let alternatives):
                // The first alternative is the conforming outcome.
                for expectation in alternatives.first?.expectations ?? [] { add(expectation, serverClock: serverClock) }
            case .depending(_, let build):
                if let built = build(parameters) { add(built, serverClock: true) }
            }
        }
    }

    private mutating func add(_ expectation: Expectation, serverClock: Bool) {
        switch expectation {
        case .nothing(let duration):
            timing.wait(duration, "nothing for \(duration.formatted)")
        case .ping, .close, .disconnect:
            // What the server does on its own clock; a message or a pong answers the client at once.
            if serverClock { timing.wait(expectation.deadline - parameters.slack, expectation.description) }
        case .message, .pong, .failure:
            break
        }
    }

    /// Segmented writes pause between segments.
    private mutating func write(_ bytes: Int) {
        guard let size = segmentSize, segmentDelay > .zero, bytes > size else { return }
        let pauses = (bytes + size - 1) / size - 1
        timing.wait(segmentDelay * pauses, "\(pauses) pauses of \(segmentDelay.formatted) between write segments")
    }
}
