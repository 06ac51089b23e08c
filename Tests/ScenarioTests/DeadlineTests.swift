import ReferenceServer
import Scenario
import Testing

@Suite("Every wait has a deadline: the case's own, which --case-timeout caps")
struct DeadlineTests {
    private func run(_ scenario: ScenarioCase) -> CaseResult {
        InProcessSuite.referenceServer().run(scenario)
    }

    @Test func aWaitEndsAtTheCasesDeadline() {
        let result = run(
            ScenarioCase(
                "300.1", "waits an hour", sends: "nothing", expectation: "nothing", rfc: [],
                deadline: .seconds(2)
            ) {
                Wait.for(.seconds(3600))
                Send.text("late")
                Expect.text("late")
            })
        #expect(result.verdict == .failed)
        #expect(result.reasons.contains { $0.contains("did not finish within its deadline of 2s") })
        #expect(result.duration < .seconds(10)) // Virtual time: the hour was never waited.
    }

    @Test func segmentPausesEndAtTheCasesDeadline() {
        let result = run(
            ScenarioCase(
                "300.2", "chops slowly", sends: "100 bytes a second apart", expectation: "echo", rfc: [],
                deadline: .seconds(3)
            ) {
                Chop.writes(ofSize: 1, delay: .seconds(1))
                Send.text(String(repeating: "a", count: 100))
                Expect.text(String(repeating: "a", count: 100))
            })
        #expect(result.verdict == .failed)
        #expect(result.duration < .seconds(10))
        // The writes stopped at the deadline: far fewer than the 106 one-byte segments were sent.
        #expect(result.wire.filter { $0.direction == .sent }.count < 20)
    }

    @Test(arguments: ["wait 86401s", "wait 9223372036854775s", "deadline 100000000ms"])
    func aFileCannotAskForMoreThanADay(_ step: String) {
        #expect(throws: ScenarioFileError.self) {
            try ScenarioFileParser.parse("case 300.3 \"long\"\n  \(step)\nend\n")
        }
        #expect(throws: Never.self) { try ScenarioFileParser.parse("case 300.3 \"a day\"\n  wait 86400s\nend\n") }
    }
}
