public import WebSocketCore

/// A frame the scripted client sends, valid or not.
public struct FrameSpec: Sendable, Hashable {
    public enum Masking: Sendable, Hashable {
        /// Masked with the client's next key, as RFC 6455 requires.
        case automatic
        /// Sent without a mask (a protocol error from a client).
        case unmasked
        case key(MaskKey)
    }

    public var frame: Frame
    public var masking: Masking
    /// `nil` for the minimal length form; a wider one is a non-minimal encoding.
    public var lengthEncoding: LengthEncoding?

    public init(
        fin: Bool = true, rsv1: Bool = false, rsv2: Bool = false, rsv3: Bool = false, opcode: Opcode,
        payload: [UInt8] = [], masking: Masking = .automatic, lengthEncoding: LengthEncoding? = nil
    ) {
        frame = Frame(fin: fin, rsv1: rsv1, rsv2: rsv2, rsv3: rsv3, opcode: opcode, payload: payload)
        self.masking = masking
        self.lengthEncoding = lengthEncoding
    }

    /// A close frame whose payload is `code` (big-endian) followed by `reason`, sent exactly as given: the
    /// code may be invalid and the reason longer than a control frame allows.
    public static func close(code: UInt16?, reason: [UInt8] = []) -> FrameSpec {
        let payload = code.map { [UInt8($0 >> 8), UInt8($0 & 0xFF)] + reason } ?? reason
        return FrameSpec(opcode: .close, payload: payload)
    }
}
