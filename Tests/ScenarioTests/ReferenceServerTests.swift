import ConformanceSuite
import ReferenceServer
import Scenario
import Testing

@Suite("The catalog against the reference echo server")
struct ReferenceServerTests {
    static let suite = InProcessSuite.referenceServer(.withKeepalive)

    @Test func everyCaseIsOK() async {
        let results = await Self.suite.run(Catalog.all, jobs: 2)
        #expect(results.count == Catalog.all.count)
        for result in results {
            let scenario = Catalog.case(result.id)!
            #expect(result.verdict == .ok, "\(result.summary)")
            #expect(result.closeVerdict == (scenario.closing == .informational ? .informational : .ok), "\(result.summary)")
        }
    }
}
