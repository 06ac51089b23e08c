/// FNV-1a, 64 bits: the same value in every process and on every machine (Swift's `Hasher` is seeded per
/// process). Case seeds, shards and report file names derive from it.
public enum StableHash {
    public static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }
}
