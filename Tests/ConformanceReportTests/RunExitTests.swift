import ConformanceReport
import Foundation
import Scenario
import Testing

/// Every command's exit status comes from `RunExit.decide`; it must fail closed.
@Suite("From results to an exit status: failing closed")
struct RunExitTests {
    static let ids = ["1.1.1", "1.1.2", "2.1"].map { CaseID(parsing: $0)! }

    static func record(_ id: CaseID, _ verdict: Verdict, close: CloseVerdict = .ok) -> CaseRecord {
        var result = CaseResult.notRun(ScenarioCase(id, "case \(id)", sends: "", expectation: "", rfc: []) {}, reason: "test", seed: nil)
        result.verdict = verdict
        result.closeVerdict = close
        return result
    }

    static func run(_ agent: String, _ records: [CaseRecord], strict: Bool = false) -> ConformanceRun {
        ConformanceRun(
            agent: agent, target: "test", startedAt: Date(timeIntervalSince1970: 0), duration: .seconds(1), seed: 0,
            strict: strict, records: records)
    }

    static let allOK = run("a", ids.map { record($0, .ok) })

    @Test func everyCaseOKPasses() {
        let exit = RunExit.decide([Self.allOK], expected: Self.ids)
        #expect(exit.outcome == .passed && exit.status == 0)
    }

    @Test func noRunOrNoResultIsNotASuccess() {
        #expect(RunExit.decide([]).status == 2)
        #expect(RunExit.decide([Self.run("a", [])], expected: Self.ids).status == 2)
        #expect(RunExit.decide([Self.run("a", []), Self.run("b", [])]).outcome == .nothingRan)
    }

    @Test func aSelectedCaseWithoutAResultFails() {
        let partial = Self.run("a", [Self.record(Self.ids[0], .ok)])
        let exit = RunExit.decide([partial], expected: Self.ids)
        #expect(exit.status == 1)
        #expect(exit.missing == 2 && exit.failing == 2)
    }

    @Test func aFailureInAnyRunFailsAndOtherAgentsCannotHideIt() {
        let failing = Self.run("z-client", [Self.record(Self.ids[0], .failed), Self.record(Self.ids[1], .ok), Self.record(Self.ids[2], .ok)])
        // An agent sorting first with passing results (a stray connection) changes nothing.
        let stray = Self.run("a", [Self.record(Self.ids[0], .ok)])
        #expect(RunExit.decide([stray, failing], expected: nil).status == 1)
        #expect(RunExit.decide([failing, Self.allOK], expected: Self.ids).failing == 1)
    }

    @Test func agentsWithoutResultsAreIgnored() {
        #expect(RunExit.decide([Self.run("bare", []), Self.allOK], expected: Self.ids).status == 0)
    }

    @Test func aFailedCloseAndStrictNonStrictFail() {
        let unclean = Self.run("a", [Self.record(Self.ids[0], .ok, close: .unclean)])
        #expect(RunExit.decide([unclean]).status == 1)
        let nonStrict = [Self.record(Self.ids[0], .nonStrict)]
        #expect(RunExit.decide([Self.run("a", nonStrict)]).status == 0)
        #expect(RunExit.decide([Self.run("a", nonStrict, strict: true)]).status == 1)
    }

    @Test func aBaselineExcusesOnlyWhatItLists() throws {
        let run = Self.run("a", [Self.record(Self.ids[0], .failed), Self.record(Self.ids[1], .failed), Self.record(Self.ids[2], .ok)])
        let one = try Baseline.parse("1.1.1: FAILED  # known\n", name: "b")
        #expect(RunExit.decide([run], expected: Self.ids, baseline: one).failing == 1)
        let both = try Baseline.parse("1.1.1: FAILED  # known\n1.1.2: FAILED  # known too\n", name: "b")
        #expect(RunExit.decide([run], expected: Self.ids, baseline: both).status == 0)
        // A baseline does not excuse a case that never ran.
        let partial = Self.run("a", [Self.record(Self.ids[0], .failed)])
        #expect(RunExit.decide([partial], expected: Self.ids, baseline: both).status == 1)
    }
}
