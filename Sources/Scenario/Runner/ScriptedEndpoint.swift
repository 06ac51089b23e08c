import WebSocketCore

/// The script's protocol state, in the client or the server role. What the peer sends is decoded by the core's
/// `Connection` (the one receive path: frames, reassembly, permessage-deflate, UTF-8 and close payloads, failing
/// fast), set to do nothing on its own; the endpoint records what it decodes and answers pings and close frames
/// as its role must, unless the scenario says otherwise, and fails the connection when the peer breaks a rule.
/// Frames the scenario sends, broken ones included, are serialized as given (masked in the client role).
struct ScriptedEndpoint {
    struct Output {
        var events: [ObservedEvent] = []
        /// Bytes the client must send in answer (pongs, the close echo, the close that fails the connection).
        var reply: [UInt8] = []
        /// The client failed the connection: close the transport.
        var closeTransport = false
    }

    /// The largest frame and message the endpoint takes in (decompressed, under permessage-deflate): the
    /// catalog's largest message, 16 MiB (9.1.6, 9.2.6). Larger is a 1009 (RFC 6455 §7.4.1), not an allocation.
    static let maxMessageLength: UInt64 = 16 << 20

    var answerPings = true
    var answerClose = true
    // The close frames each way and who sent first are the connection's record (`Connection.closeRecord`), the
    // script's own close frames noted in it; what is kept here is the runner's: the transport and the failure.
    var sentClose: CloseFrameRecord? { connection.closeRecord.sent.map(CloseFrameRecord.init(payload:)) }
    var receivedClose: CloseFrameRecord? { connection.closeRecord.received.map(CloseFrameRecord.init(payload:)) }
    var initiatedBy: ClosingRecord.Side? { connection.closeRecord.initiator.map { $0 == .client ? .client : .server } }
    private(set) var droppedBy: ClosingRecord.Side?
    private(set) var failure: ProtocolViolation?
    private(set) var wasReset = false
    private(set) var ended = false
    /// permessage-deflate, once the handshake agreed to it.
    private(set) var compressionAgreement: PerMessageDeflateAgreement?

    let role: ScriptRole
    private var connection: Connection
    /// Mask keys for the frames the scenario sends; the connection draws its own (`messageMaskKeys`) for messages.
    private var maskKeys: SeededMaskKeySource
    let messageMaskKeys: SeededMaskKeySource

    init(role: ScriptRole = .client, maskSeed: UInt64) {
        self.role = role
        maskKeys = SeededMaskKeySource(seed: maskSeed)
        messageMaskKeys = SeededMaskKeySource(seed: ~maskSeed)
        connection = Connection(role: role.connectionRole, configuration: Self.decoding, maskKeys: messageMaskKeys)
    }

    /// A connection that decodes and reports, and leaves every answer to the script.
    static var decoding: Connection.Configuration {
        var configuration = Connection.Configuration()
        configuration.maxFramePayloadLength = maxMessageLength
        configuration.maxMessageLength = maxMessageLength
        configuration.autoPong = false
        configuration.answersClose = false
        configuration.closesOnViolation = false
        // The server's inflater is under test, not our ratio: the fastest level still sends real DEFLATE
        // (Huffman codes and back-references), at a fraction of the default level's cost.
        configuration.compressionLevel = 1
        return configuration
    }

    /// Takes over the connection the opening handshake opened (configured as `decoding` says, holding what came
    /// right behind the 101); with permessage-deflate, RSV1 marks compressed messages from now on, both ways.
    mutating func adopt(_ connection: Connection, agreement: PerMessageDeflateAgreement?) {
        if let sent = self.connection.closeRecord.sent { connection.noteCloseSent(sent) }
        self.connection = connection
        compressionAgreement = agreement
    }

    /// Bytes on the wire against message bytes, for compressed messages each way.
    var compression: CompressionStatistics { connection.compressionStatistics }

    /// The frames of a whole message: compressed when permessage-deflate is on and `compress` holds (RSV1 on
    /// the first frame), then cut into frames of at most `fragmentSize` payload bytes; with
    /// `emptyFinalFragment`, every one of those has FIN clear and an empty final continuation ends the message.
    /// Nothing once the server has closed.
    mutating func message(
        _ opcode: Opcode, _ payload: [UInt8], fragmentSize: Int?, compress: Bool = true,
        emptyFinalFragment: Bool = false
    ) -> [UInt8] {
        do {
            try connection.send(
                opcode, payload: payload, fragmentSize: fragmentSize ?? .max, compress: compress,
                emptyFinalFragment: emptyFinalFragment)
        } catch {
            return []
        }
        return connection.takeOutbound()
    }

    /// The bytes of a frame the scenario sends; a close frame is remembered as our half of the closing handshake.
    mutating func serialize(_ spec: FrameSpec) throws(FrameSerializer.Error) -> [UInt8] {
        var frame = spec.frame
        switch spec.masking {
        case .automatic: frame.maskKey = role == .client ? maskKeys.nextMaskKey() : nil
        case .unmasked: frame.maskKey = nil
        case .key(let key): frame.maskKey = key
        }
        let bytes = try FrameSerializer.serialize(frame, lengthEncoding: spec.lengthEncoding)
        // A close frame with reserved bits set is a broken frame, not the start of the closing handshake: the
        // client still answers the peer's close after it (3.7).
        if frame.opcode == .close && !(frame.rsv1 || frame.rsv2 || frame.rsv3) { noteSentClose(frame.payload) }
        return bytes
    }

    private mutating func noteSentClose(_ payload: [UInt8]) { connection.noteCloseSent(payload) }

    /// We end our side of the TCP connection.
    mutating func transportClosedByUs() {
        if droppedBy == nil && !ended { droppedBy = role.side }
    }

    /// We drop the connection without more ado (the peer is flooding us): nothing more is read.
    mutating func abandon() {
        transportClosedByUs()
        ended = true
    }

    mutating func receive(_ bytes: [UInt8]) -> Output {
        var output = Output()
        guard failure == nil, !ended else { return output }
        connection.append(bytes)
        while failure == nil, let event = connection.nextEvent() {
            handle(event, into: &output)
        }
        // The runner keeps the time and the transport: the connection's orders to its host are not for it.
        _ = connection.takeOrders()
        return output
    }

    mutating func transportEnded(reset: Bool) -> [ObservedEvent] {
        guard !ended else { return [] }
        ended = true
        wasReset = reset
        if droppedBy == nil { droppedBy = role.peer.side }
        return [.disconnected(reset: reset)]
    }

    private mutating func handle(_ event: ConnectionEvent, into output: inout Output) {
        switch event {
        case .text(let text):
            output.events.append(.message(.text, Array(text.utf8)))
        case .binary(let bytes):
            output.events.append(.message(.binary, bytes))
        case .ping(let payload):
            output.events.append(.ping(payload))
            if answerPings && sentClose == nil { output.reply += frameBytes(.pong, payload) }
        case .pong(let payload):
            output.events.append(.pong(payload))
        case .closeReceived(let close):
            closeArrived(close.bytes, into: &output)
            if sentClose == nil && answerClose {
                let answer = ClosePayload(code: close.code).bytes
                output.reply += frameBytes(.close, answer)
                noteSentClose(answer)
            }
        case .invalidCloseReceived(let payload):
            closeArrived(payload, into: &output) // The violation follows.
        case .failed(let violation):
            failure = violation
            output.events.append(.violation(violation))
            if sentClose == nil {
                let payload = ClosePayload(code: violation.closeCode).bytes
                output.reply += frameBytes(.close, payload)
                noteSentClose(payload)
            }
            output.closeTransport = true
        case .closed:
            break // The runner keeps the transport, and judges its end itself.
        }
    }

    /// The connection has recorded the frame (`closeRecord`); the log gets it as it came.
    private mutating func closeArrived(_ payload: [UInt8], into output: inout Output) {
        let close = CloseFrameRecord(payload: payload)
        output.events.append(.close(code: close.code, reason: close.reason))
    }

    private mutating func frameBytes(_ opcode: Opcode, _ payload: [UInt8]) -> [UInt8] {
        (try? serialize(FrameSpec(opcode: opcode, payload: payload))) ?? []
    }
}
