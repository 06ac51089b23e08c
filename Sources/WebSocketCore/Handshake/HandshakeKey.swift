import Crypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `Sec-WebSocket-Key` and `Sec-WebSocket-Accept` (RFC 6455 §4.2.2, §1.3).
public enum HandshakeKey {
    /// The GUID every endpoint appends to the key before hashing.
    public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// The key for a 16-byte nonce. The nonce comes from the caller: the core draws no randomness.
    public static func key(nonce: [UInt8]) -> String { base64(nonce) }

    /// The accept value a server must answer `key` with: base64(SHA-1(key + GUID)).
    public static func accept(forKey key: String) -> String {
        base64(Array(Insecure.SHA1.hash(data: Array((key + guid).utf8))))
    }

    /// Whether `key` is the base64 form of exactly 16 bytes, as §4.1 requires.
    public static func isWellFormedKey(_ key: String) -> Bool {
        guard let decoded = Data(base64Encoded: key) else { return false }
        return decoded.count == 16
    }

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}
