import ConformanceSuite
import Scenario
import Synchronization
import Testing

@Suite("Case timings: what a case waits for by design, and the order a run starts cases in")
struct CaseTimingTests {
    private func timing(_ id: CaseID, _ parameters: RunParameters = RunParameters()) throws -> CaseTiming {
        try #require(Catalog.all.first { $0.id == id }).timing(parameters)
    }

    @Test func theIdleCaseWaitsForTheRunsIdlePeriod() throws {
        #expect(try timing("11.5.1").waiting == .seconds(5))
        #expect(try timing("11.5.1").longestWait == "nothing for 5s")
        var parameters = RunParameters()
        parameters.idlePeriod = .seconds(60)
        #expect(try timing("11.5.1", parameters).waiting == .seconds(60))
    }

    @Test func keepaliveCasesWaitOnTheServersClockOnlyWhenTheRunGivesIt() throws {
        #expect(try timing("11.2.1").waiting == .zero) // UNIMPLEMENTED at once without an interval.
        var parameters = RunParameters()
        parameters.serverPingInterval = .seconds(4)
        // The ping comes after the server's interval; the slack is the grader's, not the server's.
        #expect(try timing("11.2.1", parameters).waiting == .seconds(4))
        #expect(try timing("11.2.2", parameters).waiting == .seconds(12))
    }

    @Test func promptAnswersAndSegmentPausesCountAsTheyShould() throws {
        #expect(try timing("1.1.1").waiting == .zero) // An echo within a deadline is not a wait.
        #expect(try timing("11.1.1").waiting == .zero)
        #expect(try timing("5.4").waiting == .milliseconds(100)) // Two frames, one write each, 100 ms apart.
        #expect(try timing("1.1.1").summary == "-")
    }

    @Test func roundTripsCountTheirLoadUnderTheBudget() throws {
        let budgeted = try timing("12.2.4")
        #expect(budgeted.loadMessages * 1024 == budgeted.loadBytes)
        #expect(budgeted.loadBytes <= RunParameters().roundTripBudget)
        var full = RunParameters()
        full.roundTripBudget = .max
        #expect(try timing("12.2.4", full).loadMessages == 1000)
        #expect(try timing("9.7.2").summary == "1000 × 16 B")
    }

    @Test func theLongestCasesStartFirstAndResultsKeepTheCasesOrder() async {
        let cases = Catalog.cases(CaseSelection(cases: "1.1.1,5.4,11.5.1,1.1.2"))
        let starts = Mutex<[CaseID]>([])
        let results = await ParallelCases.run(
            cases, jobs: 1, estimate: { $0.timing(RunParameters()).estimate() },
            started: { scenario in starts.withLock { $0.append(scenario.id) } }
        ) { scenario in
            CaseResult.notRun(scenario, reason: "not run", seed: nil)
        }
        #expect(starts.withLock { $0 } == ["11.5.1", "5.4", "1.1.1", "1.1.2"])
        #expect(results.map(\.id) == cases.map(\.id))
    }
}
