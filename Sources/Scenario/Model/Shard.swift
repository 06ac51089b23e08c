/// One slice of a selection (`--shard K/N`), so that N machines run the suite between them. A case's shard
/// depends on its id alone (a hash), never on the rest of the selection, so every machine, every selection and
/// every later run agree on it.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// 1-based, as the command line writes it.
    public var index: Int
    public var count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// `K/N`, with 1 ≤ K ≤ N ≤ 1000.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) && $0.count <= 4 }),
            let index = Int(parts[0]), let count = Int(parts[1]), count <= 1000
        else { return nil }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    public func contains(_ id: CaseID) -> Bool { Self.shard(of: id, count: count) == index }

    /// The id's stable hash reduced to 1...count.
    public static func shard(of id: CaseID, count: Int) -> Int { Int(id.stableHash % UInt64(count)) + 1 }
}

extension Shard: Codable {
    private enum CodingKeys: String, CodingKey { case index, count }

    /// A shard read from a file is checked as one from the command line is: a count of 0 or 10^15 must be a
    /// decoding error, not a range that traps or a list of every missing shard.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let index = try container.decode(Int.self, forKey: .index)
        let count = try container.decode(Int.self, forKey: .count)
        guard count <= 1000, let shard = Shard(index: index, count: count) else {
            throw DecodingError.dataCorruptedError(
                forKey: .count, in: container,
                debugDescription: "shard \(index)/\(count) is not K/N with 1 <= K <= N <= 1000")
        }
        self = shard
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(count, forKey: .count)
    }
}
