import ConformanceSuite
import Foundation
import Scenario
import Testing
import WebSocketCore

/// Planted-defect clients: each is caught by the client-role cases that exercise its defect, and by no other.
/// Which cases exercise a defect is read off the same client without it (the baseline): the cases in which it
/// sent a frame at all (masking), closed with 1007 (UTF-8), answered a ping, failed the connection with a code of
/// its own, or faced a bad 101 (section 0).
@Suite("Defective clients: each caught by the cases that target its defect, and by no other")
struct DefectiveClientTests {
    /// Sections 0-7 and 10 (the 9.x load cases exercise no defect of these, and take long under the sanitizers).
    static let cases = Catalog.clientRole.filter { [0, 1, 2, 3, 4, 5, 6, 7, 10].contains($0.id.section) }

    static func suite(_ defect: DefectiveEchoClient.Defect?) -> InProcessClientSuite {
        InProcessClientSuite { transport in await DefectiveEchoClient(defect).run(over: transport) }
    }

    /// The baseline's results, run once for every test that needs them.
    static let baseline = Task { await suite(nil).run(cases, jobs: 2) }

    static func passes(_ result: CaseResult) -> Bool {
        let acceptable: Set<Verdict> = result.requirement == .may ? [.ok, .informational] : [.ok]
        return acceptable.contains(result.verdict) && [.ok, .informational].contains(result.closeVerdict)
    }

    /// Whether the baseline's run of a case shows the behaviour that `defect` breaks.
    static func exercises(_ defect: DefectiveEchoClient.Defect, _ result: CaseResult) -> Bool {
        let events = result.observed.map(\.event)
        switch defect {
        case .acceptsAnyUpgrade:
            return result.id.section == 0
        case .sendsUnmasked:
            return events.contains { event in
                switch event {
                case .message, .messageStart, .pong, .close: true
                default: false
                }
            }
        case .noUTF8Check:
            return failedWith(result) == 1007
        case .neverAnswersPings:
            return events.contains { if case .pong = $0 { true } else { false } }
        case .wrongCloseCodes:
            // Only where the close is judged: 7.13.x record what a client does with codes the RFC does not define.
            return result.verdict == .ok && failedWith(result).map { $0 != 1000 } ?? false
        }
    }

    /// The code the client closed with when it did not echo the server's (it failed the connection, or closed first).
    static func failedWith(_ result: CaseResult) -> UInt16? {
        guard let sent = result.closing.sentByClient, let code = sent.code else { return nil }
        return result.closing.initiatedBy == .client || result.closing.sentByServer?.code != code ? code : nil
    }

    @Test func theBaselineClientIsOKOnEveryCase() async {
        let results = await Self.baseline.value
        #expect(results.count == Self.cases.count)
        for result in results where !Self.passes(result) {
            Issue.record("\(result.id): \(result.verdict)/\(result.closeVerdict): \(result.reasons.joined(separator: "; "))")
        }
    }

    @Test(arguments: DefectiveEchoClient.Defect.allCases)
    func eachDefectIsCaughtByTheCasesThatExerciseItAndNoOther(_ defect: DefectiveEchoClient.Defect) async {
        let baseline = await Self.baseline.value
        let targeted = Set(baseline.filter { Self.exercises(defect, $0) }.map(\.id))
        #expect(!targeted.isEmpty)
        let results = await Self.suite(defect).run(Self.cases, jobs: 2)
        let caught = Set(results.filter { !Self.passes($0) }.map(\.id))
        let missed = targeted.subtracting(caught).sorted(), extra = caught.subtracting(targeted).sorted()
        #expect(missed.isEmpty, "\(defect) not caught by \(missed.count): \(missed.prefix(12).map(\.description).joined(separator: ", "))")
        let extraReasons = results.filter { extra.contains($0.id) }.prefix(6).map { "\($0.id): \($0.reasons.first ?? "")" }
        #expect(extra.isEmpty, "\(defect) also failed by \(extra.count): \(extraReasons.joined(separator: " | "))")
    }
}
