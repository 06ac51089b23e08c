import WebSocketCore

/// One broken rule of RFC 6455 at the end of a conversation, as frames, and the close codes a peer may fail the
/// connection with: the same codes the catalog accepts for the same rule (a fuzzed verdict and a catalog verdict
/// about one rule never disagree).
public struct Violation: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Invalid UTF-8 somewhere in a text message, maybe fragmented (§8.1; 6.x).
        case invalidUTF8 = "invalid UTF-8"
        /// RSV2 or RSV3 set, or RSV1 without permessage-deflate (§5.2; 3.x).
        case reservedBits = "reserved bits"
        /// Opcodes 3-7 and 11-15 (§5.2; 4.x).
        case reservedOpcode = "reserved opcode"
        /// A ping of more than 125 bytes (§5.5; 2.5).
        case oversizedControl = "oversized control frame"
        /// A ping without FIN (§5.5; 5.1).
        case fragmentedControl = "fragmented control frame"
        /// A continuation with no message to continue (§5.4; 5.3).
        case continuationWithoutStart = "continuation without a start"
        /// A new data frame while a message is fragmented (§5.4; 5.18).
        case dataWhileFragmented = "data frame inside a fragmented message"
        /// A close code that may not be sent (§7.4.1, §7.4.2; 7.9.x).
        case invalidCloseCode = "invalid close code"
        /// A close payload of one byte (§5.5.1; 7.3.2).
        case oneByteClose = "one-byte close payload"
        /// A close reason that is not UTF-8 (§5.5.1, §8.1; 7.5.1).
        case invalidCloseReason = "close reason not UTF-8"
        /// With permessage-deflate agreed, a compressed message that is not DEFLATE data (RFC 7692 §6.2, RFC 1951):
        /// a reserved block type, or a stored block whose length and its complement disagree. Drawn only where
        /// the conversation offers the extension.
        case brokenCompressedBlock = "a broken compressed block"
    }

    /// A frame as it leaves (masked by the runner), every bit chosen.
    public struct Frame: Sendable, Hashable {
        public var opcode: UInt8
        public var fin = true
        public var rsv1 = false
        public var rsv2 = false
        public var rsv3 = false
        public var payload: [UInt8]

        public init(opcode: UInt8, fin: Bool = true, rsv1: Bool = false, rsv2: Bool = false, rsv3: Bool = false, payload: [UInt8]) {
            self.opcode = opcode
            self.fin = fin
            self.rsv1 = rsv1
            self.rsv2 = rsv2
            self.rsv3 = rsv3
            self.payload = payload
        }
    }

    public var kind: Kind
    /// What is sent, in order: valid fragments may come before the one that breaks the rule.
    public var frames: [Frame]

    public init(kind: Kind, frames: [Frame]) {
        self.kind = kind
        self.frames = frames
    }

    /// Invalid UTF-8: the frame after which the text can no longer be valid, so a peer that fails fast fails there
    /// (nil: another rule, or text that is invalid only because it ends too soon).
    public var invalidTextFrame: Int? {
        guard kind == .invalidUTF8 else { return nil }
        var validator = UTF8Validator()
        return frames.firstIndex { !validator.feed($0.payload) }
    }

    /// The close codes the peer may fail the connection with, as the catalog's cases for the rule accept them.
    public var codes: [UInt16] {
        switch kind {
        case .invalidUTF8: [1007]
        case .invalidCloseReason: [1002, 1007]
        // RFC 7692 names no code: 1007 (data not consistent with its type) or 1002 (a protocol error).
        case .brokenCompressedBlock: [1002, 1007]
        default: [1002]
        }
    }

    /// The close codes no endpoint may send (the catalog's 7.9.x).
    public static let invalidCloseCodes: [UInt16] = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999]
    public static let reservedOpcodes: [UInt8] = [3, 4, 5, 6, 7, 11, 12, 13, 14, 15]
}
