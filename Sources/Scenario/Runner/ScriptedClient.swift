import WebSocketCore

/// The scripted client's protocol state: it parses what the server sends (diagnostically, so a broken
/// server's frames are described rather than just refused), answers pings and close frames as a client
/// must, and fails the connection when the server breaks a rule. Sending is left to the scenario.
struct ScriptedClient {
    struct Output {
        var events: [ObservedEvent] = []
        /// Bytes the client must send in answer (pongs, the close echo, the close that fails the connection).
        var reply: [UInt8] = []
        /// The client failed the connection: close the transport.
        var closeTransport = false
    }

    var answerPings = true
    var answerClose = true
    private(set) var sentClose: CloseFrameRecord?
    private(set) var receivedClose: CloseFrameRecord?
    private(set) var initiatedBy: ClosingRecord.Side?
    private(set) var droppedBy: ClosingRecord.Side?
    private(set) var failure: ProtocolViolation?
    private(set) var wasReset = false
    private(set) var ended = false

    private var parser = FrameParser(.init(senderRole: .server, mode: .diagnostic, maxFramePayloadLength: 64 << 20))
    private var maskKeys: SeededMaskKeySource
    private var frameHeader: FrameHeader?
    private var framePayload: [UInt8] = []
    private var message: (opcode: Opcode, payload: [UInt8], compressed: Bool)?
    /// permessage-deflate, once the handshake agreed to it.
    private(set) var compressionAgreement: PerMessageDeflateAgreement?
    private var compressor: DeflateCompressor?
    private var decompressor: DeflateDecompressor?
    private(set) var compression = CompressionStatistics()
    /// The largest message the client takes in (decompressed, under permessage-deflate).
    private let maxMessageLength: UInt64 = 64 << 20

    init(maskSeed: UInt64) { maskKeys = SeededMaskKeySource(seed: maskSeed) }

    /// Turns permessage-deflate on: RSV1 marks compressed messages from now on, both ways.
    mutating func enableCompression(_ agreement: PerMessageDeflateAgreement) {
        compressionAgreement = agreement
        compressor = DeflateCompressor(agreement.sending(as: .client))
        decompressor = DeflateDecompressor(agreement.receiving(as: .client))
        parser.configuration.allowedReservedBits.insert(.rsv1)
    }

    /// The frames of a whole message: compressed when permessage-deflate is on and `compress` holds (RSV1 on
    /// the first frame), then cut into frames of at most `fragmentSize` payload bytes; with
    /// `emptyFinalFragment`, every one of those has FIN clear and an empty final continuation ends the message.
    mutating func message(_ opcode: Opcode, _ payload: [UInt8], fragmentSize: Int?, compress: Bool = true,
                          emptyFinalFragment: Bool = false) -> [UInt8] {
        var payload = payload
        let compressed = compress && compressor != nil
        if compressed, let compressor {
            let plain = payload.count
            payload = compressor.compress(payload)
            compression.sent.messages += 1
            compression.sent.plainBytes += UInt64(plain)
            compression.sent.wireBytes += UInt64(payload.count)
        }
        let size = max(1, fragmentSize ?? payload.count)
        var bytes: [UInt8] = []
        var start = 0
        repeat {
            let end = start + min(payload.count - start, size)
            let frame = Frame(fin: end == payload.count && !emptyFinalFragment, rsv1: compressed && start == 0,
                              opcode: start == 0 ? opcode : .continuation, maskKey: maskKeys.nextMaskKey(),
                              payload: start == 0 && end == payload.count ? payload : Array(payload[start..<end]))
            // Cannot fail: every frame uses the minimal length form.
            try? FrameSerializer.append(frame, lengthEncoding: nil, to: &bytes)
            start = end
        } while start < payload.count
        if emptyFinalFragment {
            try? FrameSerializer.append(Frame(fin: true, opcode: .continuation, maskKey: maskKeys.nextMaskKey(), payload: []),
                                        lengthEncoding: nil, to: &bytes)
        }
        return bytes
    }

    /// The bytes of a frame the scenario sends; a close frame is remembered as our half of the closing handshake.
    mutating func serialize(_ spec: FrameSpec) throws(FrameSerializer.Error) -> [UInt8] {
        var frame = spec.frame
        switch spec.masking {
        case .automatic: frame.maskKey = maskKeys.nextMaskKey()
        case .unmasked: frame.maskKey = nil
        case .key(let key): frame.maskKey = key
        }
        let bytes = try FrameSerializer.serialize(frame, lengthEncoding: spec.lengthEncoding)
        // A close frame with reserved bits set is a broken frame, not the start of the closing handshake: the
        // client still answers the peer's close after it (3.7).
        if frame.opcode == .close && !(frame.rsv1 || frame.rsv2 || frame.rsv3) { noteSentClose(frame.payload) }
        return bytes
    }

    private mutating func noteSentClose(_ payload: [UInt8]) {
        guard sentClose == nil else { return }
        sentClose = CloseFrameRecord(payload: payload)
        if receivedClose == nil { initiatedBy = .client }
    }

    /// We end our side of the TCP connection.
    mutating func transportClosedByUs() {
        if droppedBy == nil && !ended { droppedBy = .client }
    }

    /// We drop the connection without more ado (the peer is flooding us): nothing more is read.
    mutating func abandon() {
        transportClosedByUs()
        ended = true
    }

    mutating func receive(_ bytes: [UInt8]) -> Output {
        var output = Output()
        guard failure == nil, !ended else { return output }
        parser.append(bytes)
        do {
            while failure == nil, let event = try parser.nextEvent() {
                handle(event, into: &output)
            }
        } catch {
            fail(error, into: &output)
        }
        return output
    }

    mutating func transportEnded(reset: Bool) -> [ObservedEvent] {
        guard !ended else { return [] }
        ended = true
        wasReset = reset
        if droppedBy == nil { droppedBy = .server }
        return [.disconnected(reset: reset)]
    }

    private mutating func handle(_ event: FrameParser.Event, into output: inout Output) {
        switch event {
        case .header(let header, let violations):
            if let violation = violations.first { return fail(violation, into: &output) }
            frameHeader = header
            framePayload = []
        case .payload(let chunk):
            framePayload.append(contentsOf: chunk)
        case .frameEnd:
            guard let header = frameHeader else { return }
            frameHeader = nil
            if receivedClose != nil { return }  // Nothing counts after the peer's close frame (§5.5.1).
            // RSV1 gets past the parser only under permessage-deflate, where it may mark a data message alone.
            if header.opcode.isControl && header.rsv1 { return fail(.compressedBitMisplaced(header.opcode), into: &output) }
            if header.opcode.isControl { control(header.opcode, framePayload, into: &output) } else { data(header, into: &output) }
        }
    }

    private mutating func data(_ header: FrameHeader, into output: inout Output) {
        if header.opcode == .continuation {
            if header.rsv1 { return fail(.compressedBitMisplaced(.continuation), into: &output) }
            message?.payload.append(contentsOf: framePayload)
        } else {
            message = (header.opcode, framePayload, header.rsv1)
        }
        guard header.fin, var finished = message else { return }
        message = nil
        if finished.compressed, let decompressor {
            do {
                let wire = finished.payload.count
                finished.payload = try decompressor.decompress(finished.payload, limit: maxMessageLength)
                    + decompressor.finishMessage(limit: maxMessageLength)
                compression.received.messages += 1
                compression.received.wireBytes += UInt64(wire)
                compression.received.plainBytes += UInt64(finished.payload.count)
            } catch {
                decompressor.abandonMessage()
                return fail(error, into: &output)
            }
        }
        if finished.opcode == .text {
            switch UTF8Validator.validate(finished.payload) {
            case .valid: break
            case .invalid(let offset): return fail(.invalidUTF8(offset: offset), into: &output)
            // A character left open fails where the message ends, as the core's MessageAssembly has it.
            case .incomplete: return fail(.invalidUTF8(offset: finished.payload.count), into: &output)
            }
        }
        output.events.append(.message(finished.opcode, finished.payload))
    }

    private mutating func control(_ opcode: Opcode, _ payload: [UInt8], into output: inout Output) {
        switch opcode {
        case .ping:
            output.events.append(.ping(payload))
            if answerPings && sentClose == nil { output.reply += frameBytes(.pong, payload) }
        case .pong:
            output.events.append(.pong(payload))
        default:  // close
            let close = CloseFrameRecord(payload: payload)
            receivedClose = close
            if sentClose == nil { initiatedBy = .server }
            output.events.append(.close(code: close.code, reason: close.reason))
            do {
                let parsed = try ClosePayload.parse(payload)
                if sentClose == nil && answerClose {
                    let answer = ClosePayload(code: parsed.code).bytes
                    output.reply += frameBytes(.close, answer)
                    noteSentClose(answer)
                }
            } catch {
                fail(error, into: &output)
            }
        }
    }

    private mutating func fail(_ violation: ProtocolViolation, into output: inout Output) {
        failure = violation
        output.events.append(.violation(violation))
        if sentClose == nil {
            let payload = ClosePayload(code: violation.closeCode).bytes
            output.reply += frameBytes(.close, payload)
            noteSentClose(payload)
        }
        output.closeTransport = true
    }

    private mutating func frameBytes(_ opcode: Opcode, _ payload: [UInt8]) -> [UInt8] {
        (try? serialize(FrameSpec(opcode: opcode, payload: payload))) ?? []
    }
}
