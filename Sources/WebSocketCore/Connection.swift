/// A WebSocket connection after the opening handshake, in either role, sans-IO: feed it received bytes
/// and commands, read back events and the bytes to send. It owns no socket, reads no clock and draws no
/// randomness: a client's mask keys come from the injected source, and timing and the transport are left to the
/// caller (`takeOrders()`: `startCloseTimer` / `closeTimerExpired()`, `closeTransport`).
///
/// A class, not a struct: it owns zlib streams and a message buffer that grows with every chunk, so a
/// copy would either share the streams (two copies decoding one stream) or copy the buffer on each write
/// (quadratic in the message size). One connection, one object.
public final class Connection {
    public struct Configuration: Sendable, Hashable {
        /// The largest payload one frame may announce (1009 beyond).
        public var maxFramePayloadLength: UInt64 = 16 << 20
        /// The largest reassembled message (1009 beyond).
        public var maxMessageLength: UInt64 = 16 << 20
        /// Answer every ping with a pong carrying the same payload.
        public var autoPong = true
        /// Answer the peer's close frame with ours. Off, the caller decides (a test peer that must not answer).
        public var answersClose = true
        /// Send a close frame with the violation's code when the peer breaks a rule. Off, the caller decides;
        /// the connection is failed either way (nothing more is decoded).
        public var closesOnViolation = true
        /// RSV bits a negotiated extension gives meaning to (RSV1 is added when `permessageDeflate` is set).
        public var allowedReservedBits: FrameParser.ReservedBits = []
        /// permessage-deflate as the opening handshake agreed it: data messages sent with `send(text:)`,
        /// `send(binary:)` and `send(_:payload:fragmentSize:)` are compressed, and RSV1 messages decompressed.
        public var permessageDeflate: PerMessageDeflateAgreement?
        /// zlib's level for what this side compresses: 1 (fastest) to 9, or -1 for zlib's default (6). Any level
        /// gives the peer a real DEFLATE stream to inflate; a test peer whose own ratio is not under test uses 1.
        public var compressionLevel: Int32 = -1
        /// Memory shared with other connections for messages in progress (a server sets one for all of its
        /// connections); `nil` leaves `maxMessageLength` as the only bound.
        public var messageMemory: MessageMemoryBudget?
        public init() {}
    }

    public enum State: Sendable, Hashable {
        case open
        /// We sent a close frame and wait for the peer's.
        case closeSent
        /// Both close frames are exchanged (or the connection failed); waiting for the transport to end.
        case closing
        case closed
    }

    public enum CommandError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Data can only be sent while open; after our close frame, nothing but pongs may follow.
        case notOpen(State)
        case invalidCloseCode(CloseCode)
        case controlPayloadTooLong(Int)
        /// A length form too narrow for the payload was asked for.
        case lengthDoesNotFit(length: Int, encoding: LengthEncoding)

        public var description: String {
            switch self {
            case .lengthDoesNotFit(let length, let encoding): "a payload of \(length) bytes does not fit a \(encoding) length"
            case .notOpen(let state): "the connection is \(state), not open"
            case .invalidCloseCode(let code): "close code \(code) may not be sent"
            case .controlPayloadTooLong(let count): "control payload of \(count) bytes exceeds 125"
            }
        }
    }

    public let role: Role
    public let configuration: Configuration
    public private(set) var state: State = .open
    // The buffers touched for every read are exempt from the runtime's exclusivity checks (a sixth of a
    // read's cost under small segments): they are private, and no method hands them to code that could
    // reach back into the same connection while they are being modified.
    @exclusivity(unchecked) private var parser: FrameParser
    private var maskKeys: any MaskKeySource
    @exclusivity(unchecked) private var outbound: [UInt8] = []
    @exclusivity(unchecked) private var assembly: MessageAssembly
    private let compressor: DeflateCompressor?
    private var sentCompression = CompressionStatistics.Direction()
    private var closeInitiator: Role?
    private var receivedClose: ClosePayload?
    /// The close frame this side sent, for the closure: a handler's `onClose` sees its own reason too.
    private var sentClose: ClosePayload?
    /// Events decoded but not yet taken by `nextEvent()`.
    @exclusivity(unchecked) private var pending: [ConnectionEvent] = []
    /// The closing handshake as it went on the wire (`closeRecord`).
    public private(set) var closeRecord = CloseRecord()
    /// What the host must do, in the order the connection decided it (`takeOrders()`).
    private var orders: [HostOrder] = []

    /// - Parameter maskKeys: where a client's mask keys come from; a server needs none.
    public init(
        role: Role, configuration: Configuration = Configuration(),
        maskKeys: any MaskKeySource = FixedMaskKeySource(.zero)
    ) {
        self.role = role
        self.configuration = configuration
        self.maskKeys = maskKeys
        let deflate = configuration.permessageDeflate
        compressor = deflate.map { DeflateCompressor($0.sending(as: role), level: configuration.compressionLevel) }
        assembly = MessageAssembly(
            limit: configuration.maxMessageLength,
            decompressor: deflate.map { DeflateDecompressor($0.receiving(as: role)) },
            budget: configuration.messageMemory)
        parser = FrameParser(
            FrameParser.Configuration(
                senderRole: role.peer, mode: .strict, maxFramePayloadLength: configuration.maxFramePayloadLength,
                allowedReservedBits: configuration.allowedReservedBits.union(deflate == nil ? [] : .rsv1)))
    }

    deinit { assembly.releaseBudget() }

    /// Bytes reserved for the message being received. It grows with what arrives, not with what a frame header
    /// announces: a peer that announces 16 MiB and sends nothing holds at most 1 MiB here.
    public var reservedMessageBytes: Int { assembly.reservedCapacity }

    /// What receiving has cost so far, counted in copies and buffer moves (linear in what arrives).
    public var receiveWork: ReceiveWork { assembly.work + parser.work }

    /// Bytes on the wire against message bytes, for compressed messages in each direction.
    public var compressionStatistics: CompressionStatistics {
        var statistics = CompressionStatistics()
        statistics.sent = sentCompression
        statistics.received = assembly.statistics
        return statistics
    }

    // MARK: Output

    /// Takes the bytes queued for sending.
    public func takeOutbound() -> [UInt8] {
        defer { outbound = [] }
        return outbound
    }

    public var hasOutbound: Bool { !outbound.isEmpty }

    /// Takes what the host must do: start the close timer, close the transport. A host takes them after each event
    /// it handles, and after each command or timer expiry it passes on.
    public func takeOrders() -> [HostOrder] {
        defer { orders = [] }
        return orders
    }

    // MARK: Input

    /// Feeds bytes read from the transport; returns everything they meant. A peer that answers each event
    /// as it comes (an echo server, say) uses `append(_:)` and `nextEvent()` instead, so that its answers
    /// stay in order with what the connection queues itself (pongs, the close frame that fails it).
    public func receive(_ bytes: [UInt8]) -> [ConnectionEvent] {
        append(bytes)
        var events: [ConnectionEvent] = []
        while let event = nextEvent() { events.append(event) }
        return events
    }

    /// Buffers bytes read from the transport without interpreting them yet.
    public func append(_ bytes: [UInt8]) {
        guard state == .open || state == .closeSent else { return } // Anything after the close is ignored.
        parser.append(bytes)
    }

    /// The next thing the buffered bytes mean, or `nil` when they hold no complete event. Bytes it queues
    /// for sending (a pong, a close frame) belong before anything the caller sends in answer to this event.
    public func nextEvent() -> ConnectionEvent? {
        if pending.isEmpty {
            var decoded: [ConnectionEvent] = []
            do {
                while decoded.isEmpty, state == .open || state == .closeSent {
                    if try assembly.appendPayload(from: &parser) { continue }
                    guard let event = try parser.nextEvent() else { break }
                    try handle(event, into: &decoded)
                }
            } catch {
                fail(error, into: &decoded)
            }
            pending = decoded
        }
        return pending.isEmpty ? nil : pending.removeFirst()
    }

    /// The transport ended (EOF or reset).
    public func transportClosed() -> [ConnectionEvent] {
        switch state {
        case .closed:
            return []
        case .closing:
            state = .closed
            return [.closed(closure(clean: true))]
        case .open, .closeSent:
            state = .closed
            return [.closed(abnormalClosure)]
        }
    }

    /// The close timer the connection asked for has fired: give up waiting and drop the transport (`closeTransport`).
    public func closeTimerExpired() -> [ConnectionEvent] {
        switch state {
        case .closeSent:
            state = .closed
            orders.append(.closeTransport)
            return [.closed(abnormalClosure)]
        case .closing:
            state = .closed
            orders.append(.closeTransport)
            return [.closed(closure(clean: receivedClose != nil))]
        case .open, .closed:
            return []
        }
    }

    // MARK: Commands

    public func send(text: String) throws(CommandError) {
        try send(.text, payload: Array(text.utf8), fragmentSize: .max)
    }

    public func send(binary: [UInt8]) throws(CommandError) {
        try send(.binary, payload: binary, fragmentSize: .max)
    }

    /// Sends a message split into frames of at most `fragmentSize` payload bytes; under permessage-deflate
    /// the message is compressed first (unless `compress` is false) and the compressed bytes are split (RSV1 on
    /// the first frame only). With `emptyFinalFragment`, every one of those frames has FIN clear and an empty
    /// final continuation ends the message.
    public func send(
        _ opcode: Opcode, payload: [UInt8], fragmentSize: Int, compress: Bool = true,
        emptyFinalFragment: Bool = false
    ) throws(CommandError) {
        guard state == .open else { throw .notOpen(state) }
        var payload = payload
        let compressor = compress ? compressor : nil
        let compressed = compressor != nil
        if let compressor {
            let plainCount = payload.count
            payload = compressor.compress(payload)
            sentCompression.messages += 1
            sentCompression.plainBytes += UInt64(plainCount)
            sentCompression.wireBytes += UInt64(payload.count)
        }
        let size = max(1, fragmentSize)
        var start = 0
        repeat {
            let end = start + min(payload.count - start, size)
            try send(
                Frame(
                    fin: end == payload.count && !emptyFinalFragment, rsv1: compressed && start == 0,
                    opcode: start == 0 ? opcode : .continuation,
                    payload: start == 0 && end == payload.count ? payload : Array(payload[start..<end])))
            start = end
        } while start < payload.count
        if emptyFinalFragment { try send(Frame(opcode: .continuation, payload: [])) }
    }

    public func ping(_ payload: [UInt8] = []) throws(CommandError) {
        guard payload.count <= 125 else { throw .controlPayloadTooLong(payload.count) }
        try send(Frame(opcode: .ping, payload: payload))
    }

    public func pong(_ payload: [UInt8] = []) throws(CommandError) {
        guard payload.count <= 125 else { throw .controlPayloadTooLong(payload.count) }
        try send(Frame(opcode: .pong, payload: payload))
    }

    /// Starts the closing handshake (the host is ordered to `startCloseTimer`). The reason is truncated to fit a
    /// control frame on a character boundary.
    public func close(code: CloseCode? = .normalClosure, reason: String = "") throws(CommandError) {
        guard state == .open else { throw .notOpen(state) }
        if let code, !code.isSendable { throw .invalidCloseCode(code) }
        queueClose(ClosePayload(code: code, reason: reason).truncatingReason)
        state = .closeSent
        closeInitiator = role
        orders.append(.startCloseTimer)
    }

    /// Sends any frame as given (a client's frames get the next mask key when they carry none), bypassing
    /// every rule except the connection state: the harness and mock clients send broken frames on purpose.
    public func send(_ frame: Frame, lengthEncoding: LengthEncoding? = nil) throws(CommandError) {
        guard state == .open || (state == .closeSent && frame.opcode == .pong) else { throw .notOpen(state) }
        let length = frame.payload.count
        if lengthEncoding == .sevenBit && length > 125 || lengthEncoding == .sixteenBit && length > 0xFFFF {
            throw .lengthDoesNotFit(length: length, encoding: lengthEncoding!)
        }
        queue(frame, lengthEncoding: lengthEncoding)
    }

    /// Queues raw bytes for the transport, unchanged.
    public func sendRaw(_ bytes: [UInt8]) { outbound.append(contentsOf: bytes) }

    // MARK: Internals

    private func queue(_ frame: Frame, lengthEncoding: LengthEncoding? = nil) {
        var frame = frame
        if role.masksOutgoingFrames && frame.maskKey == nil { frame.maskKey = maskKeys.nextMaskKey() }
        // Cannot fail: `send` checks an explicit length form, and every other frame uses the minimal one.
        try? FrameSerializer.append(frame, lengthEncoding: lengthEncoding, to: &outbound)
    }

    private func handle(_ event: FrameParser.Event, into events: inout [ConnectionEvent]) throws(ProtocolViolation) {
        switch event {
        case .header(let header, _):
            try assembly.beginFrame(header)
        case .payload(let chunk):
            try assembly.append(chunk)
        case .frameEnd:
            guard let finished = try assembly.endFrame() else { return }
            try deliver(finished, into: &events)
        }
    }

    private func deliver(_ finished: MessageAssembly.Finished, into events: inout [ConnectionEvent]) throws(ProtocolViolation) {
        switch finished {
        case .text(let text): events.append(.text(text))
        case .binary(let bytes): events.append(.binary(bytes))
        case .control(.ping, let payload):
            if configuration.autoPong && state == .open { queue(Frame(opcode: .pong, payload: payload)) }
            events.append(.ping(payload))
        case .control(.pong, let payload):
            events.append(.pong(payload))
        case .control(_, let payload): // close
            closeRecord.noteReceived(payload, by: role)
            let close: ClosePayload
            do {
                close = try ClosePayload.parse(payload)
            } catch {
                events.append(.invalidCloseReceived(payload))
                throw error
            }
            receivedClose = close
            events.append(.closeReceived(close))
            if state == .open {
                closeInitiator = role.peer
                // Echo the code (RFC 6455 §5.5.1); an empty close is answered with an empty one.
                if configuration.answersClose { queueClose(ClosePayload(code: close.code)) }
            }
            state = .closing
            // The server ends the TCP connection first (§7.1.1); a client waits for it, on a timer.
            orders.append(role == .server ? .closeTransport : .startCloseTimer)
        }
    }

    private func fail(_ violation: ProtocolViolation, into events: inout [ConnectionEvent]) {
        if state == .open && configuration.closesOnViolation {
            queueClose(ClosePayload(code: violation.closeCode, reason: violation.description).truncatingReason)
            closeInitiator = role
        }
        state = .closing
        assembly.reset()
        events.append(.failed(violation))
        orders.append(.closeTransport)
    }

    private func queueClose(_ payload: ClosePayload) {
        queue(Frame(opcode: .close, payload: payload.bytes))
        sentClose = payload
        closeRecord.noteSent(payload.bytes, by: role)
    }

    /// A close frame the caller wrote itself, past the connection (a harness sends broken ones on purpose): it
    /// enters `closeRecord` as the connection's own would; the connection's state does not change.
    public func noteCloseSent(_ payload: [UInt8]) { closeRecord.noteSent(payload, by: role) }

    private func closure(clean: Bool) -> ConnectionClosure {
        guard let receivedClose else { return abnormalClosure }
        return ConnectionClosure(
            wasClean: clean, code: receivedClose.code ?? .noStatusReceived,
            reason: receivedClose.reason, initiatedBy: closeInitiator, sent: sentClose)
    }

    private var abnormalClosure: ConnectionClosure {
        ConnectionClosure(wasClean: false, code: .abnormalClosure, initiatedBy: closeInitiator, sent: sentClose)
    }
}
