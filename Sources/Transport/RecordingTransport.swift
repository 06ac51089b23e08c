import WebSocketCore

/// A transport that passes everything through to another and keeps it on a `Tape`, so that a failing case can be
/// played back without its peer (`PlaybackTransport`). Recording costs an append per call; bytes are kept by
/// reference, not copied.
public final class RecordingTransport: ByteTransport {
    private let base: any ByteTransport
    public private(set) var tape: Tape
    /// The opening handshake of `base`, with its out-of-band part (HTTP/2 header lists) recorded too.
    public private(set) var openingHandshake: any ClientOpeningHandshake

    public init(_ base: any ByteTransport, byteLimit: Int = Tape.defaultByteLimit) {
        self.base = base
        tape = Tape(byteLimit: byteLimit)
        openingHandshake = base.openingHandshake
        if let extended = base.openingHandshake as? HTTP2ExtendedConnect {
            openingHandshake = HTTP2ExtendedConnect(stream: RecordingStream(extended.stream, recorder: self))
        }
    }

    public var elapsed: Duration { base.elapsed }

    public func write(_ bytes: [UInt8], until deadline: Duration) async -> Bool {
        let accepted = await base.write(bytes, until: deadline)
        record(.write(bytes, accepted: accepted))
        return accepted
    }

    public func read(until deadline: Duration) async -> TransportInput {
        let input = await base.read(until: deadline)
        record(.read(input))
        return input
    }

    public func close() async {
        await base.close()
        record(.close)
    }

    public func abort() async {
        await base.abort()
        record(.abort)
    }

    public var acceptingHandshake: any ServerOpeningHandshake { base.acceptingHandshake }

    fileprivate func record(_ event: Tape.Event) { tape.append(event, at: base.elapsed) }
}

/// The extended CONNECT's stream under a recording transport: its header lists go on the tape.
private final class RecordingStream: ExtendedConnectStream, @unchecked Sendable {
    private let base: any ExtendedConnectStream
    // The transport, like the stream, is driven by one task at a time (the case's).
    private unowned let recorder: RecordingTransport

    init(_ base: any ExtendedConnectStream, recorder: RecordingTransport) {
        self.base = base
        self.recorder = recorder
    }

    var scheme: String { base.scheme }

    func sendRequest(_ fields: [ExtendedConnect.Field]) async {
        await base.sendRequest(fields)
        recorder.record(.requestFields(fields))
    }

    func response(until deadline: Duration) async -> ExtendedConnectAnswer {
        let answer = await base.response(until: deadline)
        recorder.record(.response(answer))
        return answer
    }
}
