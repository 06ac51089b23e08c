/// One WebSocket frame as it stands on the wire, payload unmasked.
///
/// Any combination of fields is representable, invalid ones included: a conformance harness sends
/// reserved opcodes, stray RSV bits, oversized or fragmented control frames and unmasked client frames
/// on purpose.
public struct Frame: Sendable, Hashable, CustomStringConvertible {
    public var fin: Bool
    public var rsv1: Bool
    public var rsv2: Bool
    public var rsv3: Bool
    public var opcode: Opcode
    /// The key the frame is (or was) masked with on the wire; `nil` for an unmasked frame.
    public var maskKey: MaskKey?
    /// The application payload, unmasked.
    public var payload: [UInt8]

    public init(
        fin: Bool = true, rsv1: Bool = false, rsv2: Bool = false, rsv3: Bool = false,
        opcode: Opcode, maskKey: MaskKey? = nil, payload: [UInt8] = []
    ) {
        self.fin = fin
        self.rsv1 = rsv1
        self.rsv2 = rsv2
        self.rsv3 = rsv3
        self.opcode = opcode
        self.maskKey = maskKey
        self.payload = payload
    }

    public var header: FrameHeader {
        FrameHeader(
            fin: fin, rsv1: rsv1, rsv2: rsv2, rsv3: rsv3, opcode: opcode, maskKey: maskKey,
            payloadLength: UInt64(payload.count), lengthEncoding: .minimal(for: UInt64(payload.count)))
    }

    public var description: String {
        var flags = fin ? "FIN" : "-"
        if rsv1 { flags += "+RSV1" }
        if rsv2 { flags += "+RSV2" }
        if rsv3 { flags += "+RSV3" }
        let mask = maskKey.map { " mask=\($0)" } ?? ""
        return "\(opcode) \(flags) len=\(payload.count)\(mask)"
    }
}

/// How the payload length is written: in the 7-bit field, or after it as a 16- or 64-bit integer.
/// RFC 6455 §5.2 requires the shortest form; the others exist to send non-minimal encodings on purpose.
public enum LengthEncoding: Sendable, Hashable {
    case sevenBit
    case sixteenBit
    case sixtyFourBit

    /// The shortest encoding for a payload of `length` bytes.
    public static func minimal(for length: UInt64) -> LengthEncoding {
        if length <= 125 { return .sevenBit }
        if length <= 0xFFFF { return .sixteenBit }
        return .sixtyFourBit
    }

    /// Header bytes after the first two that the length takes.
    public var extendedLengthSize: Int {
        switch self {
        case .sevenBit: 0
        case .sixteenBit: 2
        case .sixtyFourBit: 8
        }
    }
}

/// A decoded frame header: everything before the payload.
public struct FrameHeader: Sendable, Hashable {
    public var fin: Bool
    public var rsv1: Bool
    public var rsv2: Bool
    public var rsv3: Bool
    public var opcode: Opcode
    public var maskKey: MaskKey?
    public var payloadLength: UInt64
    /// The length form found on the wire (to tell non-minimal encodings apart).
    public var lengthEncoding: LengthEncoding

    public init(
        fin: Bool, rsv1: Bool, rsv2: Bool, rsv3: Bool, opcode: Opcode, maskKey: MaskKey?,
        payloadLength: UInt64, lengthEncoding: LengthEncoding
    ) {
        self.fin = fin
        self.rsv1 = rsv1
        self.rsv2 = rsv2
        self.rsv3 = rsv3
        self.opcode = opcode
        self.maskKey = maskKey
        self.payloadLength = payloadLength
        self.lengthEncoding = lengthEncoding
    }

    /// Size of the header on the wire.
    public var encodedSize: Int { 2 + lengthEncoding.extendedLengthSize + (maskKey == nil ? 0 : 4) }
}
