import CWebSocketKernels

/// The fast paths of `UTF8Validator`. Neither says where text went wrong: on anything they cannot vouch
/// for they stop at a character boundary, and the validator's automaton finds the exact byte.
enum UTF8FastPath {
    /// Skips every character that lies wholly in the buffer and is valid; returns the index of the first
    /// byte that needs the automaton (a character cut by the buffer's end, or an invalid one).
    /// `start` must be at a character boundary.
    @inline(__always)
    static func skipWholeCharacters(_ base: UnsafeRawPointer, from start: Int, count: Int) -> Int {
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var index = start
        while index < count {
            // Vector blocks for as long as they check out (the kernel needs three bytes behind it).
            let stoppedAt = index >= 3 ? Int(wsspec_utf8_skip_valid_blocks(bytes, index, count)) : index
            index = stoppedAt
            // Character by character through the block that stopped it (or to the end).
            let scalarEnd = min(count, stoppedAt + 16)
            while index < scalarEnd {
                let lead = bytes[index]
                if lead < 0x80 {
                    index += 1
                    continue
                }
                if index + 4 > count { return index } // Near the end: the automaton handles partial characters.
                guard let width = validCharacterWidth(bytes + index) else { return index }
                index += width
            }
        }
        return index
    }

    /// The width of the valid character at `bytes` (whose first byte is not ASCII), or nil.
    /// At least four bytes must be readable.
    @inline(__always)
    static func validCharacterWidth(_ bytes: UnsafePointer<UInt8>) -> Int? {
        @inline(__always) func isContinuation(_ value: UInt8) -> Bool { value & 0xC0 == 0x80 }
        let lead = bytes[0], second = bytes[1]
        if lead < 0xE0 {
            return lead >= 0xC2 && isContinuation(second) ? 2 : nil
        }
        if lead < 0xF0 {
            // E0 needs A0–BF (no overlongs), ED needs 80–9F (no surrogates).
            let low: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = lead == 0xED ? 0x9F : 0xBF
            return second >= low && second <= high && isContinuation(bytes[2]) ? 3 : nil
        }
        // F0 needs 90–BF (no overlongs), F4 needs 80–8F (nothing above U+10FFFF).
        let low: UInt8 = lead == 0xF0 ? 0x90 : 0x80
        let high: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
        return lead <= 0xF4 && second >= low && second <= high && isContinuation(bytes[2]) && isContinuation(bytes[3]) ? 4 : nil
    }
}
