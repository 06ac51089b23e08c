/// A digest of a parse result, so two results compare in one number. It uses the standard library's
/// `Hasher`, whose seed is fixed for the life of a process: both results of a check are computed in the
/// same process, which is all a comparison needs, and the standard library's hashing of byte buffers is
/// not coverage-instrumented, which keeps large payloads cheap for the fuzzer.
struct Digest {
    private var hasher = Hasher()

    var value: UInt64 { UInt64(bitPattern: Int64(hasher.finalize())) }

    mutating func add(_ bytes: [UInt8]) {
        hasher.combine(bytes.count)
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    mutating func add(_ text: String) { add(Array(text.utf8)) }

    mutating func add(_ number: UInt64) { hasher.combine(number) }
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
