import WebSocketCore

/// A transport that plays a `Tape` back: the i-th read returns what the i-th read returned when the tape was made,
/// and the clock stands where it stood then, so a deterministic user (the scenario runner, under the same seed and
/// parameters) takes the same path and reaches the same verdict with no peer. What the user writes is compared
/// with the tape; the first difference is kept (`divergence`): past it the playback no longer answers what was
/// written.
public final class PlaybackTransport: ByteTransport {
    private let reads: [Tape.Entry]
    private let writes: [Tape.Entry]
    private let responses: [Tape.Entry]
    private var nextRead = 0
    private var nextWrite = 0
    private var nextResponse = 0
    private var clock: Duration = .zero
    /// The first call that did not match the tape, in words; nil while the playback is faithful.
    public private(set) var divergence: String?
    public private(set) var openingHandshake: any ClientOpeningHandshake = HTTP1Upgrade()

    /// - Parameter scheme: over HTTP/2, the `:scheme` the recorded request carried (`http` or `https`); nil: the
    ///   tape is of an HTTP/1.1 connection, whose handshake is in its bytes.
    public init(_ tape: Tape, http2Scheme scheme: String? = nil) {
        reads = tape.entries.filter { if case .read = $0.event { true } else { false } }
        writes = tape.entries.filter { if case .write = $0.event { true } else { false } }
        responses = tape.entries.filter { if case .response = $0.event { true } else { false } }
        if let scheme { openingHandshake = HTTP2ExtendedConnect(stream: PlaybackStream(scheme: scheme, transport: self)) }
    }

    public var elapsed: Duration { clock }

    public func write(_ bytes: [UInt8], until deadline: Duration) async -> Bool {
        guard case .write(let recorded, let accepted) = take(writes, &nextWrite, "write") else { return true }
        if recorded != bytes { diverge("write \(nextWrite) differs from the tape: \(bytes.count) bytes, the tape has \(recorded.count)") }
        return accepted
    }

    public func read(until deadline: Duration) async -> TransportInput {
        guard case .read(let input) = take(reads, &nextRead, "read") else {
            advance(to: deadline)
            return .timedOut
        }
        return input
    }

    public func close() async {}

    public func abort() async {}

    /// Whether the user made every read and write the tape holds.
    public var consumedTape: Bool { nextRead == reads.count && nextWrite == writes.count }

    fileprivate func response(until deadline: Duration) -> ExtendedConnectAnswer {
        guard case .response(let answer) = take(responses, &nextResponse, "the extended CONNECT's response") else {
            advance(to: deadline)
            return .timedOut
        }
        return answer
    }

    /// The next entry of one kind, the clock moved to its time; nil past the last (the divergence noted).
    private func take(_ entries: [Tape.Entry], _ next: inout Int, _ what: String) -> Tape.Event? {
        guard next < entries.count else {
            diverge("\(what) \(next + 1) is not on the tape (it has \(entries.count))")
            return nil
        }
        advance(to: entries[next].at)
        next += 1
        return entries[next - 1].event
    }

    private func advance(to time: Duration) { clock = max(clock, time) }

    private func diverge(_ what: String) {
        if divergence == nil { divergence = what }
    }
}

/// The extended CONNECT's stream of a played-back HTTP/2 tape: the recorded response answers the request.
private final class PlaybackStream: ExtendedConnectStream, @unchecked Sendable {
    let scheme: String
    // Driven by the same one task as its transport.
    private unowned let transport: PlaybackTransport

    init(scheme: String, transport: PlaybackTransport) {
        self.scheme = scheme
        self.transport = transport
    }

    func sendRequest(_ fields: [ExtendedConnect.Field]) async {}

    func response(until deadline: Duration) async -> ExtendedConnectAnswer { transport.response(until: deadline) }
}
