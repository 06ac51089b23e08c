/// FNV-1a, 64-bit: a cheap, stable digest of a parse result, so two results compare in one number.
struct Digest {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01B3
        }
    }

    mutating func add(_ text: String) {
        add(text.utf8)
        add([0])  // separator, so "ab"+"c" and "a"+"bc" differ
    }

    mutating func add(_ number: UInt64) {
        add((0..<8).map { UInt8(truncatingIfNeeded: number >> (8 * $0)) })
    }
}

/// The pieces a shim's cut points make of a buffer.
func pieces(_ data: UnsafePointer<UInt8>?, _ size: Int, _ cuts: UnsafePointer<Int>?, _ cutCount: Int) -> [[UInt8]] {
    guard let data, size > 0 else { return [[]] }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var result: [[UInt8]] = []
    var start = 0
    for index in 0..<cutCount {
        guard let cut = cuts?[index], cut > start, cut < size else { continue }
        result.append(Array(bytes[start..<cut]))
        start = cut
    }
    result.append(Array(bytes[start...]))
    return result
}
