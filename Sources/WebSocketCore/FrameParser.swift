/// An incremental frame parser: bytes go in as they arrive, in any split; events come out.
///
/// Payload bytes are handed out as soon as they arrive (already unmasked), so a caller can validate
/// text as it streams in and fail fast; `nextFrame()` collects them into whole frames instead.
///
/// *Strict* mode throws the first violated rule. *Diagnostic* mode records every violation on the
/// header event and keeps going; only an announced length over the limit stops it in both modes,
/// because that payload is never buffered.
public struct FrameParser: Sendable {
    public enum Mode: Sendable, Hashable {
        case strict
        case diagnostic
    }

    /// Which RSV bits a negotiated extension gives a meaning to (e.g. RSV1 for permessage-deflate).
    public struct ReservedBits: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let rsv1 = ReservedBits(rawValue: 0x40)
        public static let rsv2 = ReservedBits(rawValue: 0x20)
        public static let rsv3 = ReservedBits(rawValue: 0x10)
    }

    public struct Configuration: Sendable, Hashable {
        /// The role of the endpoint whose frames are parsed: it decides the masking rule.
        public var senderRole: Role
        public var mode: Mode
        /// The largest payload length a frame may announce.
        public var maxFramePayloadLength: UInt64
        public var allowedReservedBits: ReservedBits

        public init(
            senderRole: Role, mode: Mode = .strict, maxFramePayloadLength: UInt64 = 16 << 20,
            allowedReservedBits: ReservedBits = []
        ) {
            self.senderRole = senderRole
            self.mode = mode
            self.maxFramePayloadLength = maxFramePayloadLength
            self.allowedReservedBits = allowedReservedBits
        }
    }

    public enum Event: Sendable, Hashable {
        /// A frame begins; in diagnostic mode `violations` lists every rule its header breaks.
        case header(FrameHeader, violations: [ProtocolViolation])
        /// The next unmasked payload bytes of the current frame (never empty).
        case payload([UInt8])
        /// The current frame is complete.
        case frameEnd
    }

    private enum State: Sendable, Hashable {
        case awaitingHeader
        case inPayload(FrameHeader, offset: UInt64)
        case failed(ProtocolViolation)
    }

    public var configuration: Configuration
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var state: State = .awaitingHeader
    private var fragmentedMessageOpen = false
    private var frameEndPending = false
    // State of `nextFrame()`'s accumulation.
    private var pendingFrame: (header: FrameHeader, violations: [ProtocolViolation])?
    private var pendingPayload: [UInt8] = []
    /// Bytes the input buffer moved when it was compacted or reallocated (`Connection.receiveWork`).
    public private(set) var work = ReceiveWork()

    public init(_ configuration: Configuration) { self.configuration = configuration }

    /// Bytes received but not yet consumed by an event.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Whether the stream ends cleanly here: no partial frame pending.
    public var isAtFrameBoundary: Bool {
        if case .awaitingHeader = state { return bufferedByteCount == 0 && !frameEndPending && pendingFrame == nil }
        return false
    }

    public mutating func append(_ bytes: [UInt8]) {
        if readIndex == buffer.count {
            buffer = bytes // Nothing pending: take the array as it is, without copying.
            readIndex = 0
            return
        }
        compactIfWorthwhile()
        let (count, capacity) = (buffer.count, buffer.capacity)
        buffer.append(contentsOf: bytes)
        work.noteInputGrowth(count: count, before: capacity, after: buffer.capacity)
    }

    public mutating func append(contentsOf bytes: some Collection<UInt8>) {
        compactIfWorthwhile()
        let (count, capacity) = (buffer.count, buffer.capacity)
        buffer.append(contentsOf: bytes)
        work.noteInputGrowth(count: count, before: capacity, after: buffer.capacity)
    }

    /// Drops consumed bytes once they are at least half the buffer, so each byte is moved at most once on average.
    private mutating func compactIfWorthwhile() {
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            work.inputBytesMoved += buffer.count - readIndex
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }

    /// The next event, or `nil` when more bytes are needed.
    public mutating func nextEvent() throws(ProtocolViolation) -> Event? {
        if frameEndPending {
            frameEndPending = false
            return .frameEnd
        }
        switch state {
        case .failed(let violation):
            throw violation
        case .awaitingHeader:
            guard let (header, headerSize) = decodeHeader() else { return nil }
            let violations = check(header)
            if let first = violations.first, configuration.mode == .strict || isFatal(first) {
                state = .failed(first)
                throw first
            }
            readIndex += headerSize
            updateFragmentation(for: header)
            if header.payloadLength == 0 {
                frameEndPending = true
            } else {
                state = .inPayload(header, offset: 0)
            }
            return .header(header, violations: violations)
        case .inPayload(let header, let offset):
            let available = buffer.count - readIndex
            if available == 0 { return nil }
            let count = Int(min(UInt64(available), header.payloadLength - offset))
            let chunk = extractPayload(count: count, key: header.maskKey, phase: Int(offset & 3))
            consume(count, of: header, at: offset)
            return .payload(chunk)
        }
    }

    /// The `.payload` case of `nextEvent()` without its array: when the next event would be payload bytes, hands
    /// `body` the buffered ones as they arrived (still masked, with the key and the key phase they start at),
    /// consumes them and returns true; otherwise returns false and `nextEvent()` gives the next event. A
    /// receiver that copies payload into a buffer of its own saves an allocation and a copy per read.
    public mutating func takePayload(_ body: (_ bytes: UnsafeRawBufferPointer, _ key: MaskKey?, _ phase: Int) -> Void) -> Bool {
        guard !frameEndPending, case .inPayload(let header, let offset) = state else { return false }
        let available = buffer.count - readIndex
        if available == 0 { return false }
        let count = Int(min(UInt64(available), header.payloadLength - offset))
        let start = readIndex
        buffer.withUnsafeBytes { bytes in
            body(UnsafeRawBufferPointer(rebasing: bytes[start..<start + count]), header.maskKey, Int(offset & 3))
        }
        consume(count, of: header, at: offset)
        return true
    }

    /// `count` payload bytes of the current frame, starting at `offset`, were handed out: past them is the
    /// rest of the payload, or the frame's end.
    @inline(__always)
    private mutating func consume(_ count: Int, of header: FrameHeader, at offset: UInt64) {
        readIndex += count
        let newOffset = offset + UInt64(count)
        if newOffset == header.payloadLength {
            state = .awaitingHeader
            frameEndPending = true
        } else {
            state = .inPayload(header, offset: newOffset)
        }
    }

    /// The next whole frame, or `nil` when more bytes are needed. Do not mix with `nextEvent()`.
    public mutating func nextFrame() throws(ProtocolViolation) -> ParsedFrame? {
        while let event = try nextEvent() {
            switch event {
            case .header(let header, let violations):
                pendingFrame = (header, violations)
            case .payload(let chunk):
                // The common case is one chunk per frame: keep it without copying.
                if pendingPayload.isEmpty { pendingPayload = chunk } else { pendingPayload.append(contentsOf: chunk) }
            case .frameEnd:
                guard let (h, violations) = pendingFrame else { continue }
                pendingFrame = nil
                let frame = Frame(
                    fin: h.fin, rsv1: h.rsv1, rsv2: h.rsv2, rsv3: h.rsv3, opcode: h.opcode,
                    maskKey: h.maskKey, payload: pendingPayload)
                pendingPayload = []
                return ParsedFrame(frame: frame, lengthEncoding: h.lengthEncoding, violations: violations)
            }
        }
        return nil
    }

    private func isFatal(_ violation: ProtocolViolation) -> Bool {
        if case .frameTooLarge = violation { return true }
        return false
    }

    /// The header at the read position, if all of its bytes have arrived.
    private func decodeHeader() -> (FrameHeader, Int)? {
        let available = buffer.count - readIndex
        guard available >= 2 else { return nil }
        return buffer.withUnsafeBufferPointer { bytes -> (FrameHeader, Int)? in
            let first = bytes[readIndex], second = bytes[readIndex + 1]
            let masked = second & 0x80 != 0
            let shortLength = second & 0x7F
            let encoding: LengthEncoding = shortLength == 126 ? .sixteenBit : shortLength == 127 ? .sixtyFourBit : .sevenBit
            let size = 2 + encoding.extendedLengthSize + (masked ? 4 : 0)
            guard available >= size else { return nil }
            var cursor = readIndex + 2
            var length = UInt64(shortLength)
            if encoding != .sevenBit {
                length = 0
                for _ in 0..<encoding.extendedLengthSize {
                    length = length << 8 | UInt64(bytes[cursor])
                    cursor += 1
                }
            }
            var key: MaskKey?
            if masked {
                key = MaskKey(bytes[cursor], bytes[cursor + 1], bytes[cursor + 2], bytes[cursor + 3])
            }
            let header = FrameHeader(
                fin: first & 0x80 != 0, rsv1: first & 0x40 != 0, rsv2: first & 0x20 != 0,
                rsv3: first & 0x10 != 0, opcode: Opcode(rawValue: first & 0x0F),
                maskKey: key, payloadLength: length, lengthEncoding: encoding)
            return (header, size)
        }
    }

    /// Every rule the header breaks, in the order a strict parser reports them.
    private func check(_ header: FrameHeader) -> [ProtocolViolation] {
        var violations: [ProtocolViolation] = []
        let allowed = configuration.allowedReservedBits
        let stray = (
            header.rsv1 && !allowed.contains(.rsv1), header.rsv2 && !allowed.contains(.rsv2),
            header.rsv3 && !allowed.contains(.rsv3)
        )
        if stray.0 || stray.1 || stray.2 {
            violations.append(.reservedBitsSet(rsv1: stray.0, rsv2: stray.1, rsv3: stray.2))
        }
        if header.opcode.isReserved { violations.append(.reservedOpcode(header.opcode)) }
        switch (configuration.senderRole, header.maskKey) {
        case (.client, nil): violations.append(.unmaskedClientFrame)
        case (.server, .some): violations.append(.maskedServerFrame)
        default: break
        }
        if header.lengthEncoding == .sixtyFourBit && header.payloadLength >> 63 != 0 {
            violations.append(.lengthHighBitSet)
        } else if header.lengthEncoding != .minimal(for: header.payloadLength) {
            violations.append(.nonMinimalLength(length: header.payloadLength, encoding: header.lengthEncoding))
        }
        if header.opcode.isControl {
            if header.payloadLength > 125 { violations.append(.controlFrameTooLong(length: header.payloadLength)) }
            if !header.fin { violations.append(.fragmentedControlFrame(header.opcode)) }
        } else if header.opcode == .continuation {
            if !fragmentedMessageOpen { violations.append(.unexpectedContinuation) }
        } else if !header.opcode.isReserved && fragmentedMessageOpen {
            violations.append(.expectedContinuation(got: header.opcode))
        }
        if header.payloadLength > configuration.maxFramePayloadLength {
            violations.append(.frameTooLarge(announced: header.payloadLength, limit: configuration.maxFramePayloadLength))
        }
        // The fatal one goes first, so that diagnostic mode stops on it.
        if let index = violations.firstIndex(where: isFatal), configuration.mode == .diagnostic {
            violations.insert(violations.remove(at: index), at: 0)
        }
        return violations
    }

    private mutating func updateFragmentation(for header: FrameHeader) {
        guard !header.opcode.isControl, !header.opcode.isReserved else { return }
        fragmentedMessageOpen = !header.fin
    }

    /// Copies `count` payload bytes out of the buffer, unmasking in the same pass.
    private func extractPayload(count: Int, key: MaskKey?, phase: Int) -> [UInt8] {
        let start = readIndex
        return [UInt8](unsafeUninitializedCapacity: count) { destination, initialized in
            buffer.withUnsafeBytes { source in
                let from = source.baseAddress! + start
                if let key {
                    Masking.apply(key, phase: phase, from: from, to: UnsafeMutableRawPointer(destination.baseAddress!), count: count)
                } else {
                    UnsafeMutableRawPointer(destination.baseAddress!).copyMemory(from: from, byteCount: count)
                }
            }
            initialized = count
        }
    }
}

/// A whole frame with what its header looked like on the wire.
public struct ParsedFrame: Sendable, Hashable {
    public var frame: Frame
    public var lengthEncoding: LengthEncoding
    /// Rules the frame breaks (always empty in strict mode, which throws instead).
    public var violations: [ProtocolViolation]
}
