import NIOCore
import NIOHPACK
import Transport

/// The HTTP/2 section's client connection: the preface and SETTINGS, then frames both ways, written and read as they
/// are (`HTTP2RawFrame`), with what any client must do done for the case: SETTINGS and PING are acknowledged, header
/// blocks decoded in order (HPACK state is per connection), WINDOW_UPDATEs sent for what arrives on streams the case
/// does not hold back, and the server's windows respected when sending DATA. Every frame both ways is logged.
final class HTTP2ProbeConnection {
    /// What the case reads: a frame (header blocks decoded), or how the connection ended, or the deadline.
    enum Event {
        case frame(HTTP2RawFrame, fields: [(name: String, value: String)]?)
        case ended(TransportInput)
        /// The server broke a rule of the framing layer the probe cannot read past (an oversized frame, a header
        /// block HPACK cannot decode).
        case broken(String)
    }

    let transport: any ByteTransport
    /// The window the probe gives each stream (SETTINGS_INITIAL_WINDOW_SIZE).
    let streamWindow: Int
    private var reader = HTTP2FrameReader(maxFrameSize: 1 << 14)
    private var decoder = HPACKDecoder(allocator: ByteBufferAllocator())
    private var encoder = HPACKEncoder(allocator: ByteBufferAllocator(), useHuffmanEncoding: false)
    private var queue: [Event] = []
    private var queueStart = 0
    private var ended: TransportInput?
    /// A header block that CONTINUATION frames have not finished yet.
    private var continuing: (frame: HTTP2RawFrame, block: [UInt8])?

    /// Every SETTINGS frame the server sent, in order.
    private(set) var serverSettings: [[(id: UInt16, value: UInt32)]] = []
    private var serverInitialWindow = 65_535
    private var serverMaxFrameSize = 1 << 14
    private var connectionSendWindow = 65_535
    private var streamSendWindows: [UInt32: Int] = [:]
    /// What each stream may still receive before the probe's window is spent, and the streams whose window the case
    /// holds back (no WINDOW_UPDATE for them).
    private var receiveWindows: [UInt32: Int] = [:]
    var heldStreams: Set<UInt32> = []
    /// DATA the server sent past a stream's window (RFC 9113 §6.9.1), as sentences.
    private(set) var flowControlViolations: [String] = []
    private(set) var log: [(time: Duration, text: String)] = []
    /// Frames past the log's limit are counted, not kept.
    let logLimit: Int
    private var unlogged = 0
    private var nextStream: UInt32 = 1

    init(transport: any ByteTransport, streamWindow: Int = 1 << 20, logLimit: Int = 20_000) {
        self.transport = transport
        self.streamWindow = streamWindow
        self.logLimit = logLimit
    }

    /// The log, with the number of frames left out of it at its end.
    var keptLog: [(time: Duration, text: String)] {
        unlogged == 0 ? log : log + [(transport.elapsed, "… \(unlogged) more frames, not kept in the result")]
    }

    /// A fresh client stream identifier (odd, increasing: RFC 9113 §5.1.1).
    func newStream() -> UInt32 {
        defer { nextStream += 2 }
        return nextStream
    }

    /// The client's connection preface: the magic octets, SETTINGS (no push, the stream window), and a connection
    /// window large enough that only stream windows pace the server.
    func start(until deadline: Duration) async {
        let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
        let settings = HTTP2RawFrame.settings([
            (HTTP2SettingID.enablePush, 0), (HTTP2SettingID.initialWindowSize, UInt32(streamWindow))
        ])
        note("→ preface")
        await transport.write(preface, until: deadline)
        await send(settings, until: deadline)
        await send(.windowUpdate(stream: 0, increment: 1 << 30), until: deadline)
    }

    func send(_ frame: HTTP2RawFrame, until deadline: Duration) async {
        note("→ " + describe(frame, fields: nil))
        await transport.write(frame.bytes, until: deadline)
    }

    /// A header list in one HEADERS frame (END_HEADERS), as given: order, case and duplicates kept.
    func sendHeaders(
        _ fields: [(name: String, value: String)], stream: UInt32, endStream: Bool = false, until deadline: Duration
    ) async {
        var block = ByteBufferAllocator().buffer(capacity: 256)
        // The fields go in as they are; HPACK encodes any octets, so this cannot fail for a list of strings.
        try? encoder.encode(headers: HPACKHeaders(fields.map { ($0.name, $0.value) }), to: &block)
        let frame = HTTP2RawFrame(
            .headers, flags: HTTP2RawFrame.endHeaders | (endStream ? HTTP2RawFrame.endStream : 0), stream: stream,
            payload: Array(block.readableBytesView))
        streamSendWindows[stream] = streamSendWindows[stream] ?? serverInitialWindow
        receiveWindows[stream] = receiveWindows[stream] ?? streamWindow
        note("→ " + describe(frame, fields: fields))
        await transport.write(frame.bytes, until: deadline)
    }

    /// Bytes on a stream as DATA frames of at most `chunk` octets (and the server's frame size), each within the
    /// server's windows: while they are spent it reads frames (kept for the case) until WINDOW_UPDATEs come. False
    /// when the deadline passed or the connection ended first.
    @discardableResult
    func sendData(_ bytes: [UInt8], stream: UInt32, endStream: Bool = false, chunk: Int = .max, until deadline: Duration) async -> Bool {
        var offset = 0
        repeat {
            let window = min(connectionSendWindow, streamSendWindows[stream] ?? serverInitialWindow)
            if window <= 0, offset < bytes.count {
                guard await awaitWindow(until: deadline) else { return false }
                continue
            }
            let size = min(bytes.count - offset, chunk, serverMaxFrameSize, max(window, 0))
            let last = offset + size == bytes.count
            let frame = HTTP2RawFrame(
                .data, flags: last && endStream ? HTTP2RawFrame.endStream : 0, stream: stream,
                payload: Array(bytes[offset..<(offset + size)]))
            connectionSendWindow -= size
            streamSendWindows[stream, default: serverInitialWindow] -= size
            await send(frame, until: deadline)
            offset += size
        } while offset < bytes.count
        return true
    }

    /// Reads one frame into the case's queue (a WINDOW_UPDATE is applied as it is read).
    private func awaitWindow(until deadline: Duration) async -> Bool {
        let event = await read(until: deadline)
        queue.append(event)
        if case .frame = event { return true }
        return false
    }

    /// Gives back a held stream's window: what it received since is its due.
    func release(_ stream: UInt32, until deadline: Duration) async {
        heldStreams.remove(stream)
        let spent = streamWindow - (receiveWindows[stream] ?? streamWindow)
        guard spent > 0 else { return }
        receiveWindows[stream] = streamWindow
        await send(.windowUpdate(stream: stream, increment: UInt32(spent)), until: deadline)
    }

    /// The next event: what an earlier wait kept, then what arrives.
    func next(until deadline: Duration) async -> Event {
        if queueStart < queue.count {
            defer {
                queueStart += 1
                if queueStart == queue.count {
                    queue = []
                    queueStart = 0
                }
            }
            return queue[queueStart]
        }
        return await read(until: deadline)
    }

    private func read(until deadline: Duration) async -> Event {
        while true {
            if let ended { return .ended(ended == .timedOut ? .endOfStream : ended) }
            do {
                if let frame = try reader.next() {
                    if let event = await take(frame, until: deadline) { return event }
                    continue
                }
            } catch {
                note("← \(error)")
                ended = .reset
                return .broken("\(error)")
            }
            let input = await transport.read(until: deadline)
            switch input {
            case .bytes(let bytes): reader.append(bytes)
            case .timedOut: return .ended(.timedOut)
            case .endOfStream, .reset:
                note(input == .reset ? "← connection reset" : "← connection closed")
                ended = input
                return .ended(input)
            }
        }
    }

    /// Decodes and applies a frame; nil for a CONTINUATION still in progress.
    private func take(_ frame: HTTP2RawFrame, until deadline: Duration) async -> Event? {
        var frame = frame
        var fields: [(name: String, value: String)]?
        if let pending = continuing {
            guard frame.kind == .continuation, frame.stream == pending.frame.stream else {
                return broken("a \(describe(frame, fields: nil)) inside a header block (RFC 9113 §6.10)")
            }
            // Appended in place: a block in many CONTINUATION frames costs what it weighs.
            continuing?.block += frame.payload
            guard frame.has(HTTP2RawFrame.endHeaders), let whole = continuing else { return nil }
            continuing = nil
            frame = whole.frame
            frame.flags |= HTTP2RawFrame.endHeaders
            guard let decoded = decode(whole.block) else { return broken("a header block HPACK cannot decode") }
            fields = decoded
        } else if frame.kind == .headers || frame.kind == .pushPromise {
            guard let fragment = frame.headerBlockFragment else { return broken("a HEADERS frame whose padding does not fit") }
            if !frame.has(HTTP2RawFrame.endHeaders) {
                continuing = (frame, Array(fragment))
                return nil
            }
            guard let decoded = decode(Array(fragment)) else { return broken("a header block HPACK cannot decode") }
            fields = decoded
        }
        note("← " + describe(frame, fields: fields))
        await apply(frame, until: deadline)
        return .frame(frame, fields: fields)
    }

    private func broken(_ why: String) -> Event {
        note("← \(why)")
        ended = .reset
        return .broken(why)
    }

    private func decode(_ block: [UInt8]) -> [(name: String, value: String)]? {
        var buffer = ByteBufferAllocator().buffer(bytes: block)
        guard let headers = try? decoder.decodeHeaders(from: &buffer) else { return nil }
        return headers.map { (name: $0.name, value: $0.value) }
    }

    /// What any client does with the frame: acknowledge, apply windows and settings, replenish.
    private func apply(_ frame: HTTP2RawFrame, until deadline: Duration) async {
        switch frame.kind {
        case .settings where !frame.has(HTTP2RawFrame.ack):
            let parameters = frame.settingsParameters ?? []
            serverSettings.append(parameters)
            for (id, value) in parameters {
                if id == HTTP2SettingID.initialWindowSize {
                    let delta = Int(value) - serverInitialWindow
                    serverInitialWindow = Int(value)
                    for key in streamSendWindows.keys { streamSendWindows[key]! += delta }
                }
                if id == HTTP2SettingID.maxFrameSize { serverMaxFrameSize = Int(value) }
            }
            await send(.settingsAck, until: deadline)
        case .ping where !frame.has(HTTP2RawFrame.ack):
            await send(.ping(ack: true, frame.payload), until: deadline)
        case .windowUpdate:
            let increment = Int(frame.windowIncrement ?? 0)
            if frame.stream == 0 {
                connectionSendWindow += increment
            } else {
                streamSendWindows[frame.stream, default: serverInitialWindow] += increment
            }
        case .data:
            let length = frame.payload.count
            let left = (receiveWindows[frame.stream] ?? streamWindow) - length
            if left < 0 {
                flowControlViolations.append(
                    "the server sent \(length) octets of DATA on stream \(frame.stream) with \(left + length) left in its window")
            }
            guard length > 0 else { return }
            if heldStreams.contains(frame.stream) {
                receiveWindows[frame.stream] = left
            } else {
                await send(.windowUpdate(stream: frame.stream, increment: UInt32(length)), until: deadline)
            }
        default:
            break
        }
    }

    // MARK: The log

    private func note(_ text: @autoclosure () -> String) {
        guard log.count < logLimit else { return unlogged += 1 }
        log.append((transport.elapsed, text()))
    }

    func describe(_ frame: HTTP2RawFrame, fields: [(name: String, value: String)]?) -> String {
        let name =
            switch frame.kind {
            case .data: "DATA"
            case .headers: "HEADERS"
            case .priority: "PRIORITY"
            case .rstStream: "RST_STREAM"
            case .settings: "SETTINGS"
            case .pushPromise: "PUSH_PROMISE"
            case .ping: "PING"
            case .goAway: "GOAWAY"
            case .windowUpdate: "WINDOW_UPDATE"
            case .continuation: "CONTINUATION"
            case nil: "frame type \(frame.type)"
            }
        var text = "\(name) stream \(frame.stream)"
        var flags: [String] = []
        if frame.kind == .settings || frame.kind == .ping {
            if frame.has(HTTP2RawFrame.ack) { flags.append("ACK") }
        } else {
            if frame.has(HTTP2RawFrame.endStream) && (frame.kind == .data || frame.kind == .headers) { flags.append("END_STREAM") }
            if frame.has(HTTP2RawFrame.endHeaders) && frame.kind != .data { flags.append("END_HEADERS") }
        }
        if !flags.isEmpty { text += " [" + flags.joined(separator: " ") + "]" }
        switch frame.kind {
        case .settings:
            if let parameters = frame.settingsParameters, !parameters.isEmpty {
                text += " " + parameters.map { "\(HTTP2SettingID.name($0.id))=\($0.value)" }.joined(separator: ", ")
            }
        case .rstStream, .goAway:
            if let code = frame.errorCode { text += " " + HTTP2ErrorCodeName.name(code) }
        case .windowUpdate:
            if let increment = frame.windowIncrement { text += " +\(increment)" }
        case .data:
            text += " \(frame.payload.count) octets"
        default:
            break
        }
        if let fields { text += " " + fields.map { "\($0.name): \($0.value)" }.joined(separator: ", ") }
        return text
    }
}
