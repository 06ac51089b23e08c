/// A broken rule of RFC 6455 found in what a peer sent. Each case names the rule (with its section)
/// and the close code that failing the connection for it implies: 1002, 1007 or 1009.
public enum ProtocolViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// RSV bits set that no negotiated extension defines (§5.2).
    case reservedBitsSet(rsv1: Bool, rsv2: Bool, rsv3: Bool)
    /// An opcode RFC 6455 reserves (0x3–0x7, 0xB–0xF) (§5.2).
    case reservedOpcode(Opcode)
    /// A client sent a frame without a mask (§5.1).
    case unmaskedClientFrame
    /// A server sent a masked frame (§5.1).
    case maskedServerFrame
    /// A control frame with more than 125 payload bytes (§5.5).
    case controlFrameTooLong(length: UInt64)
    /// A control frame without FIN (§5.5).
    case fragmentedControlFrame(Opcode)
    /// A length written in a wider form than needed (§5.2: "the minimal number of bytes MUST be used").
    case nonMinimalLength(length: UInt64, encoding: LengthEncoding)
    /// A 64-bit length with its most significant bit set (§5.2).
    case lengthHighBitSet
    /// A continuation frame with no fragmented message to continue (§5.4).
    case unexpectedContinuation
    /// A new text or binary frame while a fragmented message is still open (§5.4).
    case expectedContinuation(got: Opcode)
    /// A frame announcing more payload than the configured limit (answered with 1009, never allocated).
    case frameTooLarge(announced: UInt64, limit: UInt64)
    /// A message whose reassembled size passes the configured limit.
    case messageTooLarge(size: UInt64, limit: UInt64)
    /// Text (a text message or a close reason) that is not UTF-8; `offset` is the first impossible byte (§8.1).
    case invalidUTF8(offset: Int)
    /// A close frame with a one-byte payload (§5.5.1).
    case closePayloadTooShort
    /// A close code that may not be sent on the wire (§7.4).
    case invalidCloseCode(UInt16)
    /// RSV1 (compressed) on a control frame or a continuation frame under permessage-deflate (RFC 7692 §6.1).
    case compressedBitMisplaced(Opcode)
    /// A compressed message whose DEFLATE data cannot be decompressed (RFC 7692 §6.2).
    case invalidCompressedData(String)
    /// Not the peer's fault but ours: the memory this endpoint keeps for messages in progress, shared by its
    /// connections (`MessageMemoryBudget`), is used up; the connection is failed with 1013 (Try Again Later).
    case messageMemoryExhausted(size: Int)

    /// The close code an endpoint fails the connection with for this violation.
    public var closeCode: CloseCode {
        switch self {
        case .invalidUTF8, .invalidCompressedData: .invalidFramePayloadData
        case .frameTooLarge, .messageTooLarge: .messageTooBig
        case .messageMemoryExhausted: .tryAgainLater
        default: .protocolError
        }
    }

    /// The RFC 6455 section that states the rule.
    public var rfcSection: String {
        switch self {
        case .reservedBitsSet, .reservedOpcode, .nonMinimalLength, .lengthHighBitSet: "5.2"
        case .unmaskedClientFrame, .maskedServerFrame: "5.1"
        case .controlFrameTooLong, .fragmentedControlFrame: "5.5"
        case .unexpectedContinuation, .expectedContinuation: "5.4"
        case .frameTooLarge, .messageTooLarge, .messageMemoryExhausted: "7.4.1"
        case .invalidUTF8: "8.1"
        case .closePayloadTooShort: "5.5.1"
        case .invalidCloseCode: "7.4"
        case .compressedBitMisplaced: "RFC 7692 6.1"
        case .invalidCompressedData: "RFC 7692 6.2"
        }
    }

    public var description: String {
        switch self {
        case .reservedBitsSet(let r1, let r2, let r3):
            let bits = [r1 ? "RSV1" : nil, r2 ? "RSV2" : nil, r3 ? "RSV3" : nil].compactMap { $0 }
            return "reserved bit(s) \(bits.joined(separator: "+")) set without a negotiated extension"
        case .reservedOpcode(let opcode): return "reserved opcode \(opcode)"
        case .unmaskedClientFrame: return "client frame is not masked"
        case .maskedServerFrame: return "server frame is masked"
        case .controlFrameTooLong(let length): return "control frame payload of \(length) bytes exceeds 125"
        case .fragmentedControlFrame(let opcode): return "\(opcode) control frame without FIN"
        case .nonMinimalLength(let length, let encoding):
            return "length \(length) written in \(encoding) form instead of the minimal one"
        case .lengthHighBitSet: return "64-bit payload length has its most significant bit set"
        case .unexpectedContinuation: return "continuation frame without a fragmented message in progress"
        case .expectedContinuation(let opcode): return "\(opcode) frame while a fragmented message is unfinished"
        case .frameTooLarge(let announced, let limit): return "frame announces \(announced) bytes, limit is \(limit)"
        case .messageTooLarge(let size, let limit): return "message reaches \(size) bytes, limit is \(limit)"
        case .invalidUTF8(let offset): return "invalid UTF-8 at byte \(offset)"
        case .closePayloadTooShort: return "close payload of 1 byte (a code needs 2)"
        case .invalidCloseCode(let code): return "close code \(code) may not be sent"
        case .compressedBitMisplaced(let opcode): return "RSV1 (compressed) set on a \(opcode) frame"
        case .invalidCompressedData(let why): return "compressed message cannot be decompressed: \(why)"
        case .messageMemoryExhausted(let size):
            return "no memory left for messages in progress (this one had reached \(size) bytes); try again later"
        }
    }
}
