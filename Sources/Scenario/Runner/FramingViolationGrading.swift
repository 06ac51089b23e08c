public import WebSocketCore

extension ProtocolViolation {
    /// Whether the peer broke a rule of the framing itself (masking, reserved bits and opcodes, control frames,
    /// fragmentation, the compressed bit): rules no case leaves open. A case on what the RFC leaves to the peer
    /// (a MAY, or an ending that is only recorded) is recorded, not judged; a frame that breaks these rules fails
    /// it all the same. Close payloads and sizes are not among them: what a peer may do with a close code the RFC
    /// does not define (7.13.x), or with a size past its limit, is exactly what such cases record.
    public var breaksFramingRules: Bool {
        switch self {
        case .reservedBitsSet, .reservedOpcode, .unmaskedClientFrame, .maskedServerFrame, .controlFrameTooLong,
            .fragmentedControlFrame, .nonMinimalLength, .lengthHighBitSet, .unexpectedContinuation, .expectedContinuation,
            .compressedBitMisplaced, .invalidCompressedData:
            true
        case .frameTooLarge, .messageTooLarge, .invalidUTF8, .closePayloadTooShort, .invalidCloseCode, .messageMemoryExhausted:
            false
        }
    }
}
