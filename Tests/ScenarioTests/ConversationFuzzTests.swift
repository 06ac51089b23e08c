import ConformanceSuite
import ConversationFuzz
import Foundation
import Scenario
import Testing
import WebSocketCore

@Suite("Fuzzing: seeded conversations, findings and shrinking, in-process")
struct ConversationFuzzTests {
    typealias Defect = DefectiveEchoServer.Defect

    @Test("a seed gives the same conversations, each a case of a scenario file that parses to itself")
    func conversationsAreSeededAndRender() throws {
        let generator = ConversationGenerator(seed: 42)
        var endings: Set<String> = []
        var kinds: Set<Violation.Kind> = []
        var flaws: Set<OpeningFlaw.Kind> = []
        var failFast = 0
        var unflawed = generator
        unflawed.flawedOpeningShare = 0
        var largest = 0
        for number in 1...1_500 {
            let conversation = generator.conversation(number)
            switch conversation.ending {
            case .normalClose: endings.insert("normal")
            case .closeMidMessage: endings.insert("mid-message")
            case .closeThenFrame: endings.insert("after close")
            case .violation(let violation):
                kinds.insert(violation.kind)
                // Only where the extension is offered, and then it is needed: UNIMPLEMENTED when declined.
                if violation.kind == .brokenCompressedBlock {
                    #expect(conversation.deflate != nil && conversation.needsCompression)
                    if number <= 150 { #expect(conversation.scenarioText.contains("needs permessage-deflate")) }
                }
                if let frame = violation.invalidTextFrame, frame < violation.frames.count - 1 { failFast += 1 }
            case .refusedOpening(let flaw):
                flaws.insert(flaw.kind)
                #expect(conversation.turns.isEmpty && conversation.frameCount == 0)
            }
            // Flawed openings are drawn apart: every other conversation of the seed is what it would be without them.
            if case .refusedOpening = conversation.ending {} else { #expect(conversation == unflawed.conversation(number)) }
            for case .message(let message, _) in conversation.turns {
                #expect(message.fragments.reduce(0, +) == message.payload.count)
                largest = max(largest, message.payload.count)
            }
            // Rendering and parsing megabytes of hex is slow in a debug build: the first 150 are enough for that.
            guard number <= 150 else { continue }
            #expect(conversation == ConversationGenerator(seed: 42).conversation(number))
            let scenario = try conversation.scenario()
            #expect(scenario.id == conversation.id && scenario.title == conversation.title)
            for case .message(let message, _) in conversation.turns where message.opcode == .text {
                #expect(UTF8Validator.validate(message.payload) == .valid)
            }
        }
        #expect(endings.count == 3 && kinds == Set(Violation.Kind.allCases) && flaws == Set(OpeningFlaw.Kind.allCases))
        #expect(failFast > 10, "invalid text before its last fragment is rare: \(failFast)")
        #expect(largest > 65_536, "the 64-bit length encoding is never used")
        #expect(ConversationGenerator(seed: 43).conversation(1) != generator.conversation(1))
    }

    /// The catalog's case for each flaw of the opening request: the fuzzed request and its expected answer are the
    /// case's (a fuzzed verdict and a catalog verdict about one request never disagree).
    static let catalogCase: [OpeningFlaw.Kind: CaseID] = [
        .versionMissing: "0.2.1", .unknownVersion: "0.2.3", .twoVersions: "0.2.5", .keyMissing: "0.3.1", .otherProtocol: "0.4.2",
        .otherMethod: "0.5.1", .http10: "0.5.3", .hostMissing: "0.5.4", .hostTwice: "0.5.5"
    ]

    @Test("each flaw of the opening request is its catalog case's request, expecting the same answer", arguments: OpeningFlaw.Kind.allCases)
    func openingFlawsAreTheCatalogs(_ kind: OpeningFlaw.Kind) throws {
        let id = try #require(Self.catalogCase[kind])
        let scenario = try #require(Catalog.protocolCases.first { $0.id == id })
        var fuzzed = HandshakeSpec()
        OpeningFlaw(kind: kind, value: kind == .unknownVersion ? "14" : nil).apply(to: &fuzzed)
        let catalog = scenario.handshake
        #expect(fuzzed.overrides == catalog.overrides && fuzzed.method == catalog.method && fuzzed.httpVersion == catalog.httpVersion)
        #expect(fuzzed.expect == catalog.expect, "\(kind): \(fuzzed.expect) against \(id)'s \(catalog.expect)")
        // The file form says it, and parses back to it.
        let line = try #require(fuzzed.scenarioFileLine)
        let parsed = try ScenarioFileParser.parse("case 1.1 \"x\"\n  \(line)\nend\n", file: "t.wsspec")
        #expect(parsed.first?.handshake == fuzzed, "\(line)")
    }

    static func suite(_ defect: Defect?) -> InProcessSuite { DefectiveServerTests.suite(defect) }

    /// Fuzzes an in-process server for `count` conversations.
    static func fuzz(_ suite: InProcessSuite, count: Int, seed: UInt64 = 5, stopAfter: Int? = nil, strict: Bool = false) async -> FuzzRun.Outcome {
        var run = FuzzRun(generator: ConversationGenerator(seed: seed))
        run.count = count
        run.strict = strict
        run.stopAfterFindings = stopAfter
        run.jobs = 2
        return await run.run { _, scenario in await suite.runCase(scenario, seed: seed) }
    }

    @Test("the reference server gives no finding")
    func referenceServerHasNoFindings() async {
        let outcome = await Self.fuzz(.referenceServer(), count: 200)
        #expect(outcome.tried == 200)
        #expect(outcome.findingCount == 0, "\(outcome.byKey)")
        #expect(outcome.unimplemented == 0)
    }

    /// Defects that break a SHOULD, which the catalog grades NON-STRICT or passes with an advisory: a `--strict` run
    /// finds them.
    static let strictOnly: Set<Defect> = [.noFailFast, .dropsWithoutCloseFrame]

    @Test("every planted defect is found, and shrinks to three frames or fewer that reproduce it", arguments: Defect.allCases)
    func plantedDefectIsFoundAndShrunk(_ defect: Defect) async throws {
        let suite = Self.suite(defect)
        let strict = Self.strictOnly.contains(defect)
        let outcome = await Self.fuzz(suite, count: 300, stopAfter: 1, strict: strict)
        let finding = try #require(outcome.findings.first, "\(defect): nothing found in 300 conversations")
        let conversation = ConversationGenerator(seed: 5).conversation(finding.id.components[1])
        let reference = InProcessSuite.referenceServer()
        var shrinker = Shrinker(
            reproduce: { candidate in
                guard let scenario = try? candidate.scenario() else { return finding }
                return await suite.runCase(scenario, seed: 5)
            },
            reference: { candidate in
                guard let scenario = try? candidate.scenario() else { return finding }
                return await reference.runCase(scenario, seed: 5)
            }, healthy: { true })
        shrinker.reproductions = 2
        shrinker.strict = strict
        let shrunk = try await shrinker.shrink(conversation, key: FindingKey.of(finding))
        #expect(shrunk.conversation.frameCount <= 3, "\(defect): \(shrunk.conversation.scenarioText)")
        #expect(shrunk.conversation.frameCount <= conversation.frameCount)
        // The scenario file, parsed as `wsspec run --scenarios` parses it, fails the same way; the reference server passes it.
        let file = try ScenarioFileParser.parse(shrunk.conversation.scenarioText, file: "shrunk.wsspec")
        let again = await suite.runCase(try #require(file.first), seed: 5)
        #expect(again.fails(strict: strict) && FindingKey.of(again) == FindingKey.of(finding), "\(defect): \(again.summary)")
        let conforming = await reference.runCase(try #require(file.first), seed: 5)
        #expect(!conforming.fails(strict: strict), "\(defect): the reference server fails the shrunk case too: \(conforming.summary)")
        print(
            "\(defect): found at \(finding.id) of \(outcome.tried), \(conversation.frameCount) frames shrunk to \(shrunk.conversation.frameCount) in \(shrunk.candidates) candidates"
        )
    }

    @Test("a finding that no longer reproduces, or a peer that is down, is not shrunk")
    func shrinkingNeedsAReproducibleFailure() async throws {
        let conversation = ConversationGenerator(seed: 5).conversation(1)
        let notRun = CaseResult.notRun(try conversation.scenario(), reason: "x", seed: nil)
        let healthy = Shrinker(reproduce: { _ in notRun }, reference: { _ in notRun }, healthy: { false })
        await #expect(throws: Shrinker.Failure.self) { _ = try await healthy.shrink(conversation, key: "FAILED/INFORMATIONAL: x") }
        let suite = Self.suite(nil)
        let fixed = Shrinker(
            reproduce: { candidate in
                guard let scenario = try? candidate.scenario() else { return notRun }
                return await suite.runCase(scenario, seed: 5)
            }, reference: { _ in notRun }, healthy: { true })
        do {
            _ = try await fixed.shrink(conversation, key: "FAILED/OK: something")
            Issue.record("a conversation that passes was shrunk")
        } catch {
            #expect(error.description.contains("does not fail the same way again"))
        }
    }

    @Test("a run stops at its count, and its outcome counts every conversation")
    func runCountsConversations() async {
        let outcome = await Self.fuzz(Self.suite(.noUTF8Check), count: 60)
        #expect(outcome.tried == 60)
        #expect(outcome.findingCount == outcome.byKey.values.reduce(0, +))
        #expect(outcome.findingCount > 0 && outcome.findings.count == outcome.findingCount)
        #expect(outcome.findings.map(\.id) == outcome.findings.map(\.id).sorted())
    }
}
