/// A case number such as `6.4.1`: dotted integers, ordered numerically (`1.10` after `1.9`), matched by
/// globs such as `6.4.*` or `7.*` in case selections.
public struct CaseID: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringInterpolation {
    public let rawValue: String
    public let components: [Int]

    /// `nil` unless the text is one or more dot-separated decimal numbers (a literal must be one).
    public init?(parsing text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { $0.isEmpty || $0.count > 6 ? nil : Int($0) }
        guard !parts.isEmpty, numbers.count == parts.count, numbers.allSatisfy({ $0 >= 0 }) else { return nil }
        rawValue = text
        components = numbers
    }

    public init(stringLiteral value: String) {
        guard let id = CaseID(parsing: value) else { preconditionFailure("not a case id: \(value)") }
        self = id
    }

    public init(stringInterpolation: DefaultStringInterpolation) {
        self.init(stringLiteral: String(stringInterpolation: stringInterpolation))
    }

    public var description: String { rawValue }

    /// The top-level section, e.g. 6 for `6.4.1` (0 for the opening-handshake cases `0.x`).
    public var section: Int { components[0] }

    /// The id with one more level, e.g. `6.4` → `6.4.2`.
    public func child(_ number: Int) -> CaseID { CaseID(stringLiteral: "\(rawValue).\(number)") }

    public static func < (lhs: CaseID, rhs: CaseID) -> Bool { lhs.components.lexicographicallyPrecedes(rhs.components) }

    /// Whether the id matches a glob: `*` stands for any run of characters (`6.*` matches `6.4.1`).
    public func matches(glob: String) -> Bool {
        var steps = 0
        return Self.match(Array(glob.utf8)[...], Array(rawValue.utf8)[...], steps: &steps)
    }

    /// `*` matches any run of characters, everything else itself. One pass over the id that returns to the
    /// last `*` on a mismatch: at most pattern × id steps, however many stars (a recursive matcher took
    /// exponential time on `****…*x`).
    /// - Parameter steps: counts the loop's steps (the test of the bound counts work, not time).
    static func match(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>, steps: inout Int) -> Bool {
        let star = UInt8(ascii: "*")
        var p = pattern.startIndex, t = text.startIndex
        var resume: (pattern: Int, text: Int)?
        while t < text.endIndex {
            steps += 1
            if p < pattern.endIndex, pattern[p] == star {
                while p < pattern.endIndex, pattern[p] == star { p += 1 }
                resume = (p, t)
            } else if p < pattern.endIndex, pattern[p] == text[t] {
                p += 1
                t += 1
            } else if let last = resume {
                // Let the last star take one more character, and try again from there.
                resume = (last.pattern, last.text + 1)
                p = last.pattern
                t = last.text + 1
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == star { p += 1 }
        return p == pattern.endIndex
    }
}

extension CaseID {
    /// The id's `StableHash`: case seeds and shards derive from it.
    public var stableHash: UInt64 { StableHash.fnv1a(rawValue.utf8) }

    /// The seed this case runs under in a run with `runSeed`, in-process or live: it depends on the case id, not on
    /// the order or the number of cases, so one case can be replayed alone. Run seed 0 is the ideal network, and
    /// every case's seed is 0 in it.
    public func seed(inRun runSeed: UInt64) -> UInt64 {
        runSeed == 0 ? 0 : stableHash ^ runSeed &* 0x9E37_79B9_7F4A_7C15
    }
}

/// A selection of cases by globs, as `--cases '1.*,6.4.*' --exclude '9.*'` give it.
public struct CaseSelection: Sendable, Hashable {
    public var include: [String]
    public var exclude: [String]

    public init(include: [String] = ["*"], exclude: [String] = []) {
        self.include = include
        self.exclude = exclude
    }

    /// Parses comma-separated globs.
    public init(cases: String?, exclude: String? = nil) {
        func globs(_ text: String?) -> [String] {
            (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
        }
        let included = globs(cases)
        self.init(include: included.isEmpty ? ["*"] : included, exclude: globs(exclude))
    }

    public func contains(_ id: CaseID) -> Bool {
        include.contains { id.matches(glob: $0) } && !exclude.contains { id.matches(glob: $0) }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}

extension CaseID: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = CaseID(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a case id: \(text)")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
