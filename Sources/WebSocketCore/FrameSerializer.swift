/// Writes frames to bytes. It writes whatever it is given, valid or not; only a length that cannot fit
/// the chosen encoding is refused, since those bytes could not say what the caller meant.
public enum FrameSerializer {
    public enum Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        case lengthDoesNotFit(length: Int, encoding: LengthEncoding)

        public var description: String {
            switch self {
            case .lengthDoesNotFit(let length, let encoding):
                "a payload of \(length) bytes does not fit a \(encoding) length field"
            }
        }
    }

    /// The frame's bytes with its payload masked by `frame.maskKey` (if any).
    /// - Parameter lengthEncoding: `nil` for the minimal encoding; a wider one writes a non-minimal length.
    public static func serialize(_ frame: Frame, lengthEncoding: LengthEncoding? = nil) throws(Error) -> [UInt8] {
        var out: [UInt8] = []
        try append(frame, lengthEncoding: lengthEncoding, to: &out)
        return out
    }

    /// Appends the frame's bytes to `out`.
    public static func append(
        _ frame: Frame, lengthEncoding: LengthEncoding? = nil,
        to out: inout [UInt8]
    ) throws(Error) {
        let length = frame.payload.count
        let encoding = lengthEncoding ?? .minimal(for: UInt64(length))
        if encoding == .sevenBit && length > 125 || encoding == .sixteenBit && length > 0xFFFF {
            throw .lengthDoesNotFit(length: length, encoding: encoding)
        }
        let header = FrameHeader(
            fin: frame.fin, rsv1: frame.rsv1, rsv2: frame.rsv2, rsv3: frame.rsv3,
            opcode: frame.opcode, maskKey: frame.maskKey,
            payloadLength: UInt64(length), lengthEncoding: encoding)
        // Grown geometrically: callers append frame after frame to one buffer, and reserving exactly each
        // frame's size would copy the buffer once per frame.
        let needed = out.count + header.encodedSize + length
        if needed > out.capacity { out.reserveCapacity(max(needed, 2 * out.capacity)) }
        appendHeader(header, to: &out)
        let payloadStart = out.count
        out.append(contentsOf: frame.payload)
        if let key = frame.maskKey {
            out.withUnsafeMutableBytes { buffer in
                let base = buffer.baseAddress! + payloadStart
                Masking.apply(key, phase: 0, from: base, to: base, count: length)
            }
        }
    }

    /// Writes a header exactly as given, including a length that disagrees with any payload that follows.
    /// Raw scenarios use this to announce lengths they never send (e.g. 2^63 - 1 bytes).
    public static func appendHeader(_ header: FrameHeader, to out: inout [UInt8]) {
        var first = header.opcode.rawValue
        if header.fin { first |= 0x80 }
        if header.rsv1 { first |= 0x40 }
        if header.rsv2 { first |= 0x20 }
        if header.rsv3 { first |= 0x10 }
        out.append(first)
        let maskBit: UInt8 = header.maskKey == nil ? 0 : 0x80
        switch header.lengthEncoding {
        case .sevenBit:
            out.append(maskBit | UInt8(truncatingIfNeeded: min(header.payloadLength, 127)))
        case .sixteenBit:
            out.append(maskBit | 126)
            let length = UInt16(truncatingIfNeeded: header.payloadLength)
            out.append(UInt8(length >> 8))
            out.append(UInt8(length & 0xFF))
        case .sixtyFourBit:
            out.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) {
                out.append(UInt8(truncatingIfNeeded: header.payloadLength >> UInt64(shift)))
            }
        }
        if let key = header.maskKey { out.append(contentsOf: key.array) }
    }
}
