/// One slice of a selection (`--shard K/N`), so that N machines run the suite between them. A case's shard
/// depends on its id alone (a hash), never on the rest of the selection, so every machine, every selection and
/// every later run agree on it.
public struct Shard: Sendable, Hashable, Codable, CustomStringConvertible {
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
              let index = Int(parts[0]), let count = Int(parts[1]), count <= 1000 else { return nil }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    public func contains(_ id: CaseID) -> Bool { Self.shard(of: id, count: count) == index }

    /// The id's stable hash reduced to 1...count.
    public static func shard(of id: CaseID, count: Int) -> Int { Int(id.stableHash % UInt64(count)) + 1 }
}
