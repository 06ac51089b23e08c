import Foundation
import FuzzReportEntryPoints
import Testing
import WebSocketCore

/// The saved-run and baseline fuzz targets' corpora, replayed as ordinary tests: well-formed files are read all
/// the way through every report writer, crafted ones are refused with an error, and nothing traps. Bounded
/// seeded mutations of each seed must not trap either.
@Suite("Fuzz corpora of the files wsspec reads back")
struct ReportCorpusReplayTests {
    static func corpus(_ target: ReportFuzzTarget) throws -> [(name: String, data: Data)] {
        let folder = CorpusReplayTests.corpusRoot.appendingPathComponent(target.rawValue)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map {
            ($0, try Data(contentsOf: folder.appendingPathComponent($0)))
        }
    }

    /// Seeds the readers must take, by target; every other seed is crafted and must be refused.
    static let wellFormed: [ReportFuzzTarget: Set<String>] = [
        .savedRun: [
            "seed-one-run", "seed-two-agents", "seed-shards-merged", "seed-shard-missing", "seed-empty", "seed-no-results",
            "seed-unicode-agent"
        ],
        .baseline: ["seed-simple", "seed-crlf", "seed-cr-only", "seed-blank-and-comments", "seed-unicode", "seed-long-id"]
    ]

    @Test("every seed is read or refused as it should be, without trapping", arguments: ReportFuzzTarget.allCases)
    func seeds(target: ReportFuzzTarget) throws {
        let inputs = try Self.corpus(target)
        #expect(inputs.count >= 10)
        for (name, data) in inputs {
            #expect(target.check(data) == Self.wellFormed[target, default: []].contains(name), "\(target.rawValue)/\(name)")
        }
    }

    @Test("seeded mutations of every seed do not trap", arguments: ReportFuzzTarget.allCases)
    func mutations(target: ReportFuzzTarget) throws {
        var generator = SplitMix64(seed: 2026)
        for (_, seed) in try Self.corpus(target) {
            for _ in 0..<40 {
                var bytes = [UInt8](seed)
                for _ in 0..<Int.random(in: 1...4, using: &generator) where !bytes.isEmpty {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: bytes[index] = UInt8.random(in: 0...255, using: &generator)
                    case 1: bytes.remove(at: index)
                    default: bytes.insert(contentsOf: Array("9999999999999999999,-1,\"".utf8).shuffled(using: &generator).prefix(3), at: index)
                    }
                }
                target.check(Data(bytes)) // Returning at all is the invariant.
            }
        }
    }
}
