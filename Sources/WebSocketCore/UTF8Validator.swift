/// An incremental UTF-8 validator (RFC 3629, as RFC 6455 §8.1 requires of text).
///
/// It is fed fragment by fragment and fails at the first byte after which no continuation could make the
/// text valid, so "E0 80" fails at the 80 and "ED A0" (a surrogate) at the A0. Overlong forms,
/// surrogates and code points above U+10FFFF are rejected. `finish()` tells text that is valid from text
/// that stops inside a character.
///
/// Whole characters are checked by fast paths (`UTF8FastPath`: 16-byte vector blocks, then single
/// characters). Where a character is cut by a fragment's end, or is invalid, a nine-state automaton
/// takes over byte by byte:
/// its table is indexed by `state + byte` (states pre-multiplied by 256), and it rejects at exactly the
/// first impossible byte.
public struct UTF8Validator: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case valid
        /// The text ends inside a character that began at byte `sequenceStart`.
        case incomplete(sequenceStart: Int)
        /// Byte `offset` made the text impossible.
        case invalid(offset: Int)
    }

    private var state: Int = UTF8Automaton.accept
    /// Bytes consumed so far, over all fragments.
    public private(set) var byteCount = 0
    private var sequenceStart = 0
    private var failureOffset: Int?

    public init() {}

    /// The offset of the first impossible byte, if one has been seen.
    public var invalidOffset: Int? { failureOffset }

    /// Feeds the next fragment. Returns `false` once the text is invalid (and stays invalid).
    @discardableResult
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if failureOffset != nil { return false }
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        let table = UTF8Automaton.transitions
        var state = self.state
        var index = 0
        let failedAt: Int? = table.withUnsafeBufferPointer { table in
            while index < count {
                if state == UTF8Automaton.accept {
                    index = UTF8FastPath.skipWholeCharacters(base, from: index, count: count)
                    if index == count { break }
                    sequenceStart = byteCount + index
                }
                // The automaton takes over at fragment edges and at errors, where it finds the exact byte.
                state = Int(table[state &+ Int(base.load(fromByteOffset: index, as: UInt8.self))])
                if state == UTF8Automaton.reject { return index }
                index += 1
            }
            return nil
        }
        if let failedAt {
            failureOffset = byteCount + failedAt
            byteCount += failedAt + 1
            self.state = state
            return false
        }
        byteCount += count
        self.state = state
        return true
    }

    @discardableResult
    public mutating func feed(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { feed($0) }
    }

    @discardableResult
    public mutating func feed(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// The verdict on everything fed so far, taken as the whole text.
    public func finish() -> Outcome {
        if let failureOffset { return .invalid(offset: failureOffset) }
        if state != UTF8Automaton.accept { return .incomplete(sequenceStart: sequenceStart) }
        return .valid
    }

    /// Whether the text so far ends on a character boundary (no character left open).
    public var isAtCharacterBoundary: Bool { failureOffset == nil && state == UTF8Automaton.accept }

    /// Validates a whole text in one call.
    public static func validate(_ bytes: some Collection<UInt8>) -> Outcome {
        var validator = UTF8Validator()
        if bytes.withContiguousStorageIfAvailable({ validator.feed(UnsafeRawBufferPointer($0)) }) == nil {
            validator.feed(Array(bytes))
        }
        return validator.finish()
    }
}

/// The transition table of the validator's automaton.
enum UTF8Automaton {
    // States, pre-multiplied by 256 so that `state + byte` indexes the table directly.
    static let accept = 0 * 256
    static let reject = 1 * 256
    static let needOne = 2 * 256 // one continuation byte 80–BF left
    static let needTwo = 3 * 256
    static let needThree = 4 * 256
    static let afterE0 = 5 * 256 // A0–BF next, else overlong
    static let afterED = 6 * 256 // 80–9F next, else a surrogate
    static let afterF0 = 7 * 256 // 90–BF next, else overlong
    static let afterF4 = 8 * 256 // 80–8F next, else above U+10FFFF

    static let transitions: [UInt16] = {
        var table = [UInt16](repeating: UInt16(reject), count: 9 * 256)
        func set(_ state: Int, _ bytes: ClosedRange<Int>, _ next: Int) {
            for byte in bytes { table[state + byte] = UInt16(next) }
        }
        set(accept, 0x00...0x7F, accept)
        set(accept, 0xC2...0xDF, needOne)
        set(accept, 0xE0...0xE0, afterE0)
        set(accept, 0xE1...0xEC, needTwo)
        set(accept, 0xED...0xED, afterED)
        set(accept, 0xEE...0xEF, needTwo)
        set(accept, 0xF0...0xF0, afterF0)
        set(accept, 0xF1...0xF3, needThree)
        set(accept, 0xF4...0xF4, afterF4)
        set(needOne, 0x80...0xBF, accept)
        set(needTwo, 0x80...0xBF, needOne)
        set(needThree, 0x80...0xBF, needTwo)
        set(afterE0, 0xA0...0xBF, needOne)
        set(afterED, 0x80...0x9F, needOne)
        set(afterF0, 0x90...0xBF, needTwo)
        set(afterF4, 0x80...0x8F, needTwo)
        return table
    }()
}
