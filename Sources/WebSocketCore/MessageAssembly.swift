/// Reassembles fragmented messages from parser events, with control frames allowed between fragments.
/// Text is validated as each chunk arrives, so invalid UTF-8 fails at the first impossible byte rather
/// than at the end of the message; the size limit is checked when a frame is announced. Under
/// permessage-deflate a message whose first frame has RSV1 is decompressed chunk by chunk, and the limit
/// applies to the decompressed size too.
struct MessageAssembly {
    enum Finished: Sendable, Hashable {
        case text(String)
        case binary([UInt8])
        case control(Opcode, [UInt8])
    }

    let limit: UInt64
    /// Set when permessage-deflate was negotiated: RSV1 then means "compressed" (RFC 7692 §6).
    let decompressor: DeflateDecompressor?
    private(set) var statistics = CompressionStatistics.Direction()
    private var messageOpcode: Opcode?
    private var messageCompressed = false
    private var messageWireBytes: UInt64 = 0
    private var messageBytes: [UInt8] = []
    private var validator = UTF8Validator()
    private var frame: (opcode: Opcode, fin: Bool)?
    private var controlBytes: [UInt8] = []
    /// Shared with other connections; `charged` is what this message's buffer holds of it.
    private let budget: MessageMemoryBudget?
    private var charged = 0
    /// Copies and reallocations so far (`Connection.receiveWork`).
    private(set) var work = ReceiveWork()

    /// What a frame may reserve before its bytes arrive.
    static let firstSlice = 1 << 20

    /// Bytes reserved for the message in progress.
    var reservedCapacity: Int { messageBytes.capacity }

    init(limit: UInt64, decompressor: DeflateDecompressor? = nil, budget: MessageMemoryBudget? = nil) {
        self.limit = limit
        self.decompressor = decompressor
        self.budget = budget
    }

    /// Charges what the message buffer grew by to the shared budget (after the growth: one step past it at
    /// most, freed at once when the connection fails).
    private mutating func chargeGrowth() throws(ProtocolViolation) {
        guard let budget, messageBytes.capacity > charged else { return }
        guard budget.reserve(messageBytes.capacity - charged) else {
            throw .messageMemoryExhausted(size: messageBytes.count)
        }
        charged = messageBytes.capacity
    }

    /// The message left the buffer (delivered, or dropped): its memory goes back to the budget.
    mutating func releaseBudget() {
        budget?.release(charged)
        charged = 0
    }

    /// A frame begins. Sequencing rules are the parser's; this only tracks what the frame adds to.
    mutating func beginFrame(_ header: FrameHeader) throws(ProtocolViolation) {
        frame = (header.opcode, header.fin)
        // The parser lets RSV1 through only when permessage-deflate is on; it may mark a message's first frame.
        if header.rsv1, header.opcode.isControl || header.opcode == .continuation {
            throw .compressedBitMisplaced(header.opcode)
        }
        if header.opcode.isControl {
            controlBytes = []
            return
        }
        if header.opcode != .continuation {
            messageOpcode = header.opcode
            messageCompressed = header.rsv1
            messageWireBytes = 0
            messageBytes = []
            releaseBudget()
            validator = UTF8Validator()
        }
        messageWireBytes += header.payloadLength
        if messageWireBytes > limit { throw .messageTooLarge(size: messageWireBytes, limit: limit) }
        // Room grows geometrically: at least double, so that each byte is moved a bounded number of times however
        // small the fragments (reserving what each fragment adds copied the whole message once per fragment, and
        // 4 MiB in 64-byte fragments cost seconds). It follows what arrives, not what a header announces: a peer
        // that announces 16 MiB and sends nothing holds at most a first slice.
        // Under a tight shared budget it takes only what the frame announces rather than fail a connection for slack.
        if !messageCompressed, messageWireBytes > UInt64(messageBytes.capacity) {
            let capacity = messageBytes.capacity
            let ceiling = max(messageBytes.count + Self.firstSlice, 2 * capacity)
            let needed = min(Int(clamping: messageWireBytes), ceiling)
            let generous = min(max(Int(clamping: messageWireBytes), 2 * capacity), ceiling)
            let fits = budget.map { generous - charged <= $0.availableBytes } ?? true
            messageBytes.reserveCapacity(fits ? generous : needed)
            work.noteMessageGrowth(count: messageBytes.count, before: capacity, after: messageBytes.capacity)
            try chargeGrowth()
        }
    }

    mutating func append(_ chunk: [UInt8]) throws(ProtocolViolation) {
        guard let frame else { return }
        if frame.opcode.isControl {
            work.payloadBytesCopied += chunk.count
            controlBytes.append(contentsOf: chunk)
            return
        }
        if messageCompressed, let decompressor {
            statistics.wireBytes += UInt64(chunk.count)
            try accept(decompressor.decompress(chunk, limit: limit))
        } else {
            try accept(chunk)
        }
    }

    /// What `append(_:)` does for the parser's next payload bytes, copying them (and unmasking them in place)
    /// straight into the message: for data frames of uncompressed messages, the bulk of every load. Returns
    /// false when the parser has no payload bytes to give or the frame needs `append(_:)`.
    mutating func appendPayload(from parser: inout FrameParser) throws(ProtocolViolation) -> Bool {
        guard let frame, !frame.opcode.isControl, !messageCompressed else { return false }
        var message = messageBytes
        messageBytes = [] // One reference, so appending does not copy the message.
        let start = message.count
        let capacity = message.capacity
        let took = parser.takePayload { masked, key, phase in
            message.append(contentsOf: masked)
            guard let key else { return }
            message.withUnsafeMutableBytes { bytes in
                let tail = bytes.baseAddress! + start
                Masking.apply(key, phase: phase, from: tail, to: tail, count: masked.count)
            }
        }
        work.payloadBytesCopied += message.count - start
        work.noteMessageGrowth(count: start, before: capacity, after: message.capacity)
        var valid = true
        if took, messageOpcode == .text {
            var validator = self.validator
            valid = message.withUnsafeBytes { validator.feed(UnsafeRawBufferPointer(rebasing: $0[start...])) }
            self.validator = validator
        }
        messageBytes = message
        if !valid { throw .invalidUTF8(offset: validator.invalidOffset ?? start) }
        try chargeGrowth()
        return took
    }

    private mutating func accept(_ bytes: [UInt8]) throws(ProtocolViolation) {
        if messageOpcode == .text, !validator.feed(bytes) {
            throw .invalidUTF8(offset: validator.invalidOffset ?? messageBytes.count)
        }
        work.payloadBytesCopied += bytes.count
        if messageBytes.isEmpty {
            messageBytes = bytes
        } else {
            let capacity = messageBytes.capacity
            messageBytes.append(contentsOf: bytes)
            work.noteMessageGrowth(count: messageBytes.count - bytes.count, before: capacity, after: messageBytes.capacity)
        }
        try chargeGrowth()
    }

    /// The current frame ended; returns a message or control frame when one is complete.
    mutating func endFrame() throws(ProtocolViolation) -> Finished? {
        guard let ended = frame else { return nil }
        frame = nil
        if ended.opcode.isControl {
            defer { controlBytes = [] }
            return .control(ended.opcode, controlBytes)
        }
        guard ended.fin, let opcode = messageOpcode else { return nil }
        if messageCompressed, let decompressor {
            try accept(decompressor.finishMessage(limit: limit))
            statistics.messages += 1
            statistics.plainBytes += UInt64(messageBytes.count)
        }
        messageOpcode = nil
        let bytes = messageBytes
        messageBytes = []
        releaseBudget()
        if opcode == .text {
            if case .incomplete = validator.finish() { throw .invalidUTF8(offset: bytes.count) }
            return .text(String(decoding: bytes, as: UTF8.self))
        }
        return .binary(bytes)
    }

    /// Drops a message left half-way when the connection fails.
    mutating func reset() {
        if messageCompressed { decompressor?.abandonMessage() }
        messageOpcode = nil
        messageCompressed = false
        messageBytes = []
        releaseBudget()
        frame = nil
        controlBytes = []
    }
}
