import CWebSocketKernels

/// The masking transform of RFC 6455 §5.3: byte i is XORed with key[(i + phase) % 4].
/// Masking and unmasking are the same operation.
///
/// The loop is `wsspec_mask` in CWebSocketKernels: 16-byte chunks XORed with the key replicated and rotated to
/// the phase. It is C so that its speed does not follow code placement (see docs/decisions.md).
public enum Masking {
    /// Masks `count` bytes from `source` into `destination` (which may be the same memory, or must not overlap).
    /// `phase` is the position in the key of the first byte (the payload offset modulo 4).
    public static func apply(
        _ key: MaskKey, phase: Int,
        from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, count: Int
    ) {
        if count == 0 { return }
        withUnsafeBytes(of: key.bytes) { keyBytes in
            wsspec_mask(
                keyBytes.baseAddress!.assumingMemoryBound(to: UInt8.self), phase & 3,
                source.assumingMemoryBound(to: UInt8.self), destination.assumingMemoryBound(to: UInt8.self), count)
        }
    }

    /// Masks (or unmasks) `bytes` in place.
    public static func apply(_ key: MaskKey, phase: Int = 0, to bytes: inout [UInt8]) {
        let count = bytes.count
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            apply(key, phase: phase, from: base, to: base, count: count)
        }
    }

    /// A masked (or unmasked) copy of `bytes`.
    public static func applied(_ key: MaskKey, phase: Int = 0, to bytes: some Collection<UInt8>) -> [UInt8] {
        var copy = Array(bytes)
        apply(key, phase: phase, to: &copy)
        return copy
    }
}
