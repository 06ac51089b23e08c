/// Reassembles fragmented messages from parser events, with control frames allowed between fragments.
/// Text is validated as each chunk arrives, so invalid UTF-8 fails at the first impossible byte rather
/// than at the end of the message; the size limit is checked when a frame is announced.
struct MessageAssembly: Sendable {
    enum Finished: Sendable, Hashable {
        case text(String)
        case binary([UInt8])
        case control(Opcode, [UInt8])
    }

    let limit: UInt64
    private var messageOpcode: Opcode?
    private var messageBytes: [UInt8] = []
    private var validator = UTF8Validator()
    private var frame: (opcode: Opcode, fin: Bool)?
    private var controlBytes: [UInt8] = []

    init(limit: UInt64) { self.limit = limit }

    /// A frame begins. Sequencing rules are the parser's; this only tracks what the frame adds to.
    mutating func beginFrame(_ header: FrameHeader) throws(ProtocolViolation) {
        frame = (header.opcode, header.fin)
        if header.opcode.isControl {
            controlBytes = []
            return
        }
        if header.opcode != .continuation {
            messageOpcode = header.opcode
            messageBytes = []
            validator = UTF8Validator()
        }
        let size = UInt64(messageBytes.count) + header.payloadLength
        if size > limit { throw .messageTooLarge(size: size, limit: limit) }
        messageBytes.reserveCapacity(Int(size))
    }

    mutating func append(_ chunk: [UInt8]) throws(ProtocolViolation) {
        guard let frame else { return }
        if frame.opcode.isControl {
            controlBytes.append(contentsOf: chunk)
            return
        }
        if messageOpcode == .text, !validator.feed(chunk) {
            throw .invalidUTF8(offset: validator.invalidOffset ?? messageBytes.count)
        }
        if messageBytes.isEmpty { messageBytes = chunk } else { messageBytes.append(contentsOf: chunk) }
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
        messageOpcode = nil
        let bytes = messageBytes
        messageBytes = []
        if opcode == .text {
            if case .incomplete = validator.finish() { throw .invalidUTF8(offset: bytes.count) }
            return .text(String(decoding: bytes, as: UTF8.self))
        }
        return .binary(bytes)
    }
}
