/// HTTP/2 frames as bytes (RFC 9113 §4.1), for the HTTP/2 section's probe client. Everything else in wsspec frames
/// HTTP/2 with swift-nio-http2; this is the one place that writes frames by hand, because the section must send what
/// swift-nio-http2 refuses to (a malformed header list, a stream reset at a chosen moment, a frame split as a case
/// wants) and see the server's frames as they were, before any client-side validation. Header blocks are
/// swift-nio-http2's HPACK (`NIOHPACK`).
public struct HTTP2RawFrame: Sendable, Hashable {
    public enum Kind: UInt8, Sendable {
        case data = 0
        case headers, priority, rstStream, settings, pushPromise, ping, goAway, windowUpdate, continuation
    }

    public static let endStream: UInt8 = 0x1
    public static let ack: UInt8 = 0x1
    public static let endHeaders: UInt8 = 0x4
    public static let padded: UInt8 = 0x8
    public static let priority: UInt8 = 0x20

    /// The frame type as sent: unknown types are kept (RFC 9113 §4.1: they are ignored, not errors).
    public var type: UInt8
    public var flags: UInt8
    public var stream: UInt32
    public var payload: [UInt8]

    public init(type: UInt8, flags: UInt8 = 0, stream: UInt32 = 0, payload: [UInt8] = []) {
        self.type = type
        self.flags = flags
        self.stream = stream
        self.payload = payload
    }

    public init(_ kind: Kind, flags: UInt8 = 0, stream: UInt32 = 0, payload: [UInt8] = []) {
        self.init(type: kind.rawValue, flags: flags, stream: stream, payload: payload)
    }

    public var kind: Kind? { Kind(rawValue: type) }
    public func has(_ flag: UInt8) -> Bool { flags & flag != 0 }

    /// The nine-octet header and the payload.
    public var bytes: [UInt8] {
        let length = payload.count
        var out: [UInt8] = [
            UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length), type, flags
        ]
        out += Self.uint32(stream & 0x7FFF_FFFF)
        return out + payload
    }

    static func uint32(_ value: UInt32) -> [UInt8] {
        [
            UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
            UInt8(truncatingIfNeeded: value)
        ]
    }

    static func readUInt32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    // MARK: The frames the probe sends

    public static func settings(_ parameters: [(UInt16, UInt32)]) -> HTTP2RawFrame {
        HTTP2RawFrame(.settings, payload: parameters.flatMap { [UInt8($0.0 >> 8), UInt8($0.0 & 0xFF)] + uint32($0.1) })
    }

    public static let settingsAck = HTTP2RawFrame(.settings, flags: ack)

    public static func windowUpdate(stream: UInt32, increment: UInt32) -> HTTP2RawFrame {
        HTTP2RawFrame(.windowUpdate, stream: stream, payload: uint32(increment & 0x7FFF_FFFF))
    }

    public static func rstStream(_ stream: UInt32, code: UInt32) -> HTTP2RawFrame {
        HTTP2RawFrame(.rstStream, stream: stream, payload: uint32(code))
    }

    public static func ping(ack: Bool, _ opaque: [UInt8]) -> HTTP2RawFrame {
        HTTP2RawFrame(.ping, flags: ack ? Self.ack : 0, payload: opaque)
    }

    /// The SETTINGS parameters of a SETTINGS frame's payload, in order (RFC 9113 §6.5.1); nil if it is not a whole
    /// number of six-octet parameters.
    public var settingsParameters: [(id: UInt16, value: UInt32)]? {
        guard payload.count % 6 == 0 else { return nil }
        return stride(from: 0, to: payload.count, by: 6).map { index in
            (UInt16(payload[index]) << 8 | UInt16(payload[index + 1]), Self.readUInt32(payload[(index + 2)...]))
        }
    }

    /// The error code of an RST_STREAM or GOAWAY.
    public var errorCode: UInt32? {
        switch kind {
        case .rstStream where payload.count == 4: Self.readUInt32(payload[...])
        case .goAway where payload.count >= 8: Self.readUInt32(payload[4...])
        default: nil
        }
    }

    /// A WINDOW_UPDATE's increment.
    public var windowIncrement: UInt32? {
        kind == .windowUpdate && payload.count == 4 ? Self.readUInt32(payload[...]) & 0x7FFF_FFFF : nil
    }

    /// The header block fragment of a HEADERS frame, without padding and priority (RFC 9113 §6.2); nil if they do
    /// not fit in the payload.
    public var headerBlockFragment: ArraySlice<UInt8>? {
        var start = 0
        var end = payload.count
        if has(Self.padded) {
            guard let pad = payload.first, Int(pad) < payload.count else { return nil }
            start = 1
            end -= Int(pad)
        }
        if kind == .headers, has(Self.priority) { start += 5 }
        guard start <= end else { return nil }
        return payload[start..<end]
    }

    /// DATA's content, without padding.
    public var dataContent: ArraySlice<UInt8>? {
        guard has(Self.padded) else { return payload[...] }
        guard let pad = payload.first, Int(pad) < payload.count else { return nil }
        return payload[1..<(payload.count - Int(pad))]
    }
}

/// The setting identifiers the section reads and sends (RFC 9113 §6.5.2, RFC 8441 §3).
public enum HTTP2SettingID {
    public static let headerTableSize: UInt16 = 0x1
    public static let enablePush: UInt16 = 0x2
    public static let maxConcurrentStreams: UInt16 = 0x3
    public static let initialWindowSize: UInt16 = 0x4
    public static let maxFrameSize: UInt16 = 0x5
    public static let enableConnectProtocol: UInt16 = 0x8

    static func name(_ id: UInt16) -> String {
        switch id {
        case 0x1: "HEADER_TABLE_SIZE"
        case 0x2: "ENABLE_PUSH"
        case 0x3: "MAX_CONCURRENT_STREAMS"
        case 0x4: "INITIAL_WINDOW_SIZE"
        case 0x5: "MAX_FRAME_SIZE"
        case 0x6: "MAX_HEADER_LIST_SIZE"
        case 0x8: "ENABLE_CONNECT_PROTOCOL"
        default: "0x" + String(id, radix: 16)
        }
    }
}

/// The error codes the section names (RFC 9113 §7).
public enum HTTP2ErrorCodeName {
    public static let noError: UInt32 = 0x0
    public static let protocolError: UInt32 = 0x1
    public static let refusedStream: UInt32 = 0x7
    public static let cancel: UInt32 = 0x8

    static func name(_ code: UInt32) -> String {
        let names = [
            "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
            "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
            "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"
        ]
        return code < names.count ? names[Int(code)] : "0x" + String(code, radix: 16)
    }
}

/// Cuts a byte stream into frames, each byte read once: what arrives is appended, whole frames come out. A frame
/// longer than `maxFrameSize` is an error (RFC 9113 §4.2), so a hostile length costs nothing.
public struct HTTP2FrameReader: Sendable {
    public var maxFrameSize: Int
    private var buffer: [UInt8] = []
    private var start = 0

    public init(maxFrameSize: Int) { self.maxFrameSize = maxFrameSize }

    public struct Oversized: Error, CustomStringConvertible {
        public var length: Int
        public var limit: Int
        public var description: String { "a frame of \(length) octets, past the \(limit) the probe's SETTINGS allow (RFC 9113 §4.2)" }
    }

    /// Octets moved to the front of the buffer so far: what reading has cost beyond the one copy of each payload. It
    /// stays below what arrived, however the bytes are cut (`HTTP2SectionTests` counts it).
    public private(set) var movedBytes = 0

    public mutating func append(_ bytes: [UInt8]) {
        // Only once the consumed part is at least half the buffer: each octet moves at most once on average.
        if start > 0, start >= buffer.count / 2 {
            movedBytes += buffer.count - start
            buffer.removeFirst(start)
            start = 0
        }
        buffer += bytes
    }

    public mutating func next() throws(Oversized) -> HTTP2RawFrame? {
        guard buffer.count - start >= 9 else { return nil }
        let length = Int(buffer[start]) << 16 | Int(buffer[start + 1]) << 8 | Int(buffer[start + 2])
        guard length <= maxFrameSize else { throw Oversized(length: length, limit: maxFrameSize) }
        guard buffer.count - start >= 9 + length else { return nil }
        let frame = HTTP2RawFrame(
            type: buffer[start + 3], flags: buffer[start + 4],
            stream: HTTP2RawFrame.readUInt32(buffer[(start + 5)...]) & 0x7FFF_FFFF,
            payload: Array(buffer[(start + 9)..<(start + 9 + length)]))
        start += 9 + length
        return frame
    }
}
