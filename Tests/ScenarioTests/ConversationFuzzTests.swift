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
        var largest = 0
        for number in 1...1_500 {
            let conversation = generator.conversation(number)
            switch conversation.ending {
            case .normalClose: endings.insert("normal")
            case .closeMidMessage: endings.insert("mid-message")
            case .closeThenFrame: endings.insert("after close")
            case .violation(let violation): kinds.insert(violation.kind)
            }
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
        #expect(endings.count == 3 && kinds == Set(Violation.Kind.allCases))
        #expect(largest > 65_536, "the 64-bit length encoding is never used")
        #expect(ConversationGenerator(seed: 43).conversation(1) != generator.conversation(1))
    }

    static func suite(_ defect: Defect?) -> InProcessSuite { DefectiveServerTests.suite(defect) }

    /// Fuzzes an in-process server for `count` conversations.
    static func fuzz(_ suite: InProcessSuite, count: Int, seed: UInt64 = 5, stopAfter: Int? = nil) async -> FuzzRun.Outcome {
        var run = FuzzRun(generator: ConversationGenerator(seed: seed))
        run.count = count
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

    /// The planted defects the conversations reach: everything about frames, pings and closes. The others are in the
    /// opening handshake (versions, HTTP/1.0, Host) or in when a failure comes (fail-fast), which the catalog's 0.x and
    /// 6.x cases check and the conversations do not vary.
    static let reachable: [Defect] = [
        .noUTF8Check, .acceptsReservedBits, .acceptsReservedOpcodes, .neverAnswersPings, .wrongCloseCodes, .echoesLongCloseReason,
        .skipsAcceptKey, .echoesInvalidCloseCodes, .closeMidMessageIsAnError, .echoesTwice, .answersAfterClose
    ]

    @Test("every reachable planted defect is found, and shrinks to three frames or fewer that reproduce it", arguments: reachable)
    func plantedDefectIsFoundAndShrunk(_ defect: Defect) async throws {
        let suite = Self.suite(defect)
        let outcome = await Self.fuzz(suite, count: 300, stopAfter: 1)
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
        let shrunk = try await shrinker.shrink(conversation, key: FindingKey.of(finding))
        #expect(shrunk.conversation.frameCount <= 3, "\(defect): \(shrunk.conversation.scenarioText)")
        #expect(shrunk.conversation.frameCount <= conversation.frameCount)
        // The scenario file, parsed as `wsspec run --scenarios` parses it, fails the same way; the reference server passes it.
        let file = try ScenarioFileParser.parse(shrunk.conversation.scenarioText, file: "shrunk.wsspec")
        let again = await suite.runCase(try #require(file.first), seed: 5)
        #expect(again.fails(strict: false) && FindingKey.of(again) == FindingKey.of(finding), "\(defect): \(again.summary)")
        let conforming = await reference.runCase(try #require(file.first), seed: 5)
        #expect(!conforming.fails(strict: false), "\(defect): the reference server fails the shrunk case too: \(conforming.summary)")
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
