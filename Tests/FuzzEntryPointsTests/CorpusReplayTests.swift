import CFuzzShims
import Foundation
import FuzzEntryPoints
import Testing
import WebSocketCore

/// Every corpus input (seeds, and `regression-*` inputs that once broke an invariant) passes its target's
/// checks, and so do bounded, seeded mutations of them: the fuzzers' invariants, run as ordinary tests.
@Suite("Fuzz corpora and invariants")
struct CorpusReplayTests {
    static let corpusRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz")

    static func corpus(_ target: FuzzTarget) throws -> [(name: String, bytes: [UInt8])] {
        let folder = corpusRoot.appendingPathComponent(target.rawValue)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        return try names.map { ($0, Array(try Data(contentsOf: folder.appendingPathComponent($0)))) }
    }

    @Test("every corpus input passes", arguments: FuzzTarget.allCases)
    func corpusPasses(target: FuzzTarget) throws {
        let inputs = try Self.corpus(target)
        #expect(inputs.count >= 10)
        for (name, bytes) in inputs {
            let result = target.check(bytes)
            #expect(result == 0, "\(target.rawValue)/\(name): \(FuzzTarget.describe(result))")
        }
    }

    @Test("seeded random inputs pass", arguments: FuzzTarget.allCases)
    func randomInputsPass(target: FuzzTarget) {
        var generator = SplitMix64(seed: 2026)
        for round in 0..<3000 {
            let size = Int.random(in: 0...300, using: &generator)
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let result = target.check(bytes)
            #expect(result == 0, "round \(round): \(FuzzTarget.describe(result)) for \(bytes)")
        }
    }

    @Test func structureAwareMutationsOfTheFrameCorpusPass() throws {
        for (name, original) in try Self.corpus(.frames) {
            var bytes = original + [UInt8](repeating: 0, count: 4096)
            var size = original.count
            for seed in 0..<200 as Range<UInt32> {
                size = bytes.withUnsafeMutableBufferPointer {
                    FuzzTarget.mutateFrames($0.baseAddress, size, $0.count, seed)
                }
                let result = FuzzTarget.frames.check(Array(bytes[..<size]))
                #expect(result == 0, "\(name) after mutation \(seed): \(FuzzTarget.describe(result))")
            }
        }
    }

    @Test func aMaskedFrameRoundTripsAndResultsHaveNames() {
        // The round trip must keep the mask key and re-mask the payload to give back the same bytes.
        var input: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0]
        input += try! FrameSerializer.serialize(Frame(opcode: .text, maskKey: MaskKey(1, 2, 3, 4), payload: [65]))
        #expect(FuzzTarget.frames.check(input) == 0)
        #expect(FuzzTarget.describe(Int32(WSSPEC_STREAMED_DIFFERS)).contains("streamed"))
    }
}
