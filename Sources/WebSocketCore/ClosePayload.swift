/// The payload of a close frame: an optional code and a UTF-8 reason (RFC 6455 §5.5.1).
public struct ClosePayload: Sendable, Hashable, CustomStringConvertible {
    /// `nil` when the frame carried no code at all (reported as 1005).
    public var code: CloseCode?
    public var reason: String

    /// A close frame is a control frame (≤125 bytes); two of them hold the code.
    public static let maxReasonByteCount = 123

    public init(code: CloseCode?, reason: String = "") {
        self.code = code
        self.reason = reason
    }

    /// Parses a received close payload. A one-byte payload and an unsendable code are protocol errors
    /// (1002); a reason that is not UTF-8 is 1007.
    public static func parse(_ bytes: [UInt8]) throws(ProtocolViolation) -> ClosePayload {
        if bytes.isEmpty { return ClosePayload(code: nil) }
        if bytes.count == 1 { throw .closePayloadTooShort }
        let code = CloseCode(UInt16(bytes[0]) << 8 | UInt16(bytes[1]))
        guard code.isSendable else { throw .invalidCloseCode(code.rawValue) }
        let reasonBytes = bytes[2...]
        switch UTF8Validator.validate(reasonBytes) {
        case .valid: return ClosePayload(code: code, reason: String(decoding: reasonBytes, as: UTF8.self))
        case .invalid(let offset): throw .invalidUTF8(offset: offset + 2)
        // A character left open fails where the payload ends, as for a text message (MessageAssembly).
        case .incomplete: throw .invalidUTF8(offset: bytes.count)
        }
    }

    /// The payload bytes exactly as given (no code → empty payload, reason dropped). Nothing is checked or
    /// truncated: use `truncatingReason` first for a payload that must be valid.
    public var bytes: [UInt8] {
        guard let code else { return [] }
        return [UInt8(code.rawValue >> 8), UInt8(code.rawValue & 0xFF)] + Array(reason.utf8)
    }

    /// The same payload with its reason cut to at most `maxReasonByteCount` bytes, on a character boundary.
    public var truncatingReason: ClosePayload {
        ClosePayload(code: code, reason: Self.truncate(reason, toUTF8ByteCount: Self.maxReasonByteCount))
    }

    /// The longest prefix of `text` that fits in `limit` UTF-8 bytes without splitting a Unicode scalar.
    public static func truncate(_ text: String, toUTF8ByteCount limit: Int) -> String {
        if text.utf8.count <= limit { return text }
        var used = 0
        var end = text.unicodeScalars.startIndex
        for index in text.unicodeScalars.indices {
            let size = UTF8.width(text.unicodeScalars[index])
            if used + size > limit { break }
            used += size
            end = text.unicodeScalars.index(after: index)
        }
        return String(text.unicodeScalars[..<end])
    }

    public var description: String {
        guard let code else { return "no code" }
        return reason.isEmpty ? "\(code)" : "\(code) \"\(reason)\""
    }
}
