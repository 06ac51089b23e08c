/// The masking transform of RFC 6455 §5.3: byte i is XORed with key[(i + phase) % 4].
/// Masking and unmasking are the same operation.
///
/// The hot loop works on 8-byte words: the key is replicated into a 64-bit pattern rotated to the phase,
/// so all but at most 7 head and 7 tail bytes are handled a word at a time.
public enum Masking {
    /// Masks `count` bytes from `source` into `destination` (which may be the same memory).
    /// `phase` is the position in the key of the first byte (the payload offset modulo 4).
    @inlinable
    public static func apply(
        _ key: MaskKey, phase: Int,
        from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, count: Int
    ) {
        if count == 0 { return }
        var index = 0
        var keyIndex = phase & 3
        // Bring the destination to 8-byte alignment byte by byte, so the word loop uses aligned stores.
        let misalignment = Int(bitPattern: destination) & 7
        let head = min(count, misalignment == 0 ? 0 : 8 - misalignment)
        while index < head {
            destination.storeBytes(
                of: source.load(fromByteOffset: index, as: UInt8.self) ^ key[keyIndex],
                toByteOffset: index, as: UInt8.self)
            index += 1
            keyIndex = (keyIndex + 1) & 3
        }
        // Memory order is little-endian on every platform Swift targets here; build the word in that order.
        let k0 = UInt64(key[keyIndex]), k1 = UInt64(key[keyIndex + 1])
        let k2 = UInt64(key[keyIndex + 2]), k3 = UInt64(key[keyIndex + 3])
        let half = k0 | k1 << 8 | k2 << 16 | k3 << 24
        let pattern = UInt64(littleEndian: half | half << 32)
        while index + 8 <= count {
            let word = source.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            destination.storeBytes(of: word ^ pattern, toByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < count {
            destination.storeBytes(
                of: source.load(fromByteOffset: index, as: UInt8.self) ^ key[keyIndex],
                toByteOffset: index, as: UInt8.self)
            index += 1
            keyIndex = (keyIndex + 1) & 3
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
