import ConformanceSuite
import ReferenceServer
import Scenario
import Testing

/// Each defective server must be caught by exactly the cases that check its defect, with the verdict
/// written here, and pass every other case. This is what makes the catalog's verdicts trustworthy.
@Suite("Deliberately broken servers")
struct DefectiveServerTests {
    /// The cases that catch a defect, and the verdict they give it.
    static func expectedCatches(_ defect: DefectiveEchoServer.Defect) -> (catches: (ScenarioCase) -> Bool, verdict: Verdict) {
        switch defect {
        case .noUTF8Check: ({ $0.checks.contains("invalid-utf8") }, .failed)
        // Failing only at the end of the message is a SHOULD violation (Autobahn|Testsuite judges it so too).
        case .noFailFast: ({ $0.checks.contains("fail-fast") }, .nonStrict)
        case .acceptsReservedBits: ({ $0.checks.contains("reserved-bits") }, .failed)
        case .acceptsReservedOpcodes: ({ $0.checks.contains("reserved-opcodes") }, .failed)
        case .neverAnswersPings: ({ $0.checks.contains("ping") }, .failed)
        // Every case in which the peer must fail the connection (with 1002 or 1007, never 1000).
        case .wrongCloseCodes: ({ if case .peerFails = $0.closing { !needsKeepalive($0) } else { false } }, .failed)
        case .echoesLongCloseReason: ({ $0.checks.contains("control-frame-length") }, .failed)
        // Without the accept key no connection opens: only the cases that expect a refusal still pass.
        case .skipsAcceptKey: ({ !$0.checks.contains("handshake-refused") }, .failed)
        case .ignoresVersion: ({ $0.checks.contains("version") }, .failed)
        }
    }

    static func suite(_ defect: DefectiveEchoServer.Defect) -> InProcessSuite {
        var parameters = RunParameters()
        parameters.subprotocol = "wsspec.echo"
        return InProcessSuite(parameters: parameters) { DefectiveEchoServer(defect) }
    }

    /// Cases that need a keepalive configuration this server does not have.
    static func needsKeepalive(_ scenario: ScenarioCase) -> Bool {
        !scenario.checks.isDisjoint(with: ["server-ping", "pong-timeout", "close-timeout"])
    }

    @Test("each defect is caught by the cases that check it, and only by them", arguments: DefectiveEchoServer.Defect.allCases)
    func defectIsCaught(_ defect: DefectiveEchoServer.Defect) async {
        let (catches, verdict) = Self.expectedCatches(defect)
        let results = await Self.suite(defect).run(Catalog.protocolCases, jobs: 2)
        var caught = 0
        for (scenario, result) in zip(Catalog.protocolCases, results) {
            if catches(scenario) {
                caught += 1
                #expect(result.verdict == verdict, "\(defect): \(result.summary)")
            } else if Self.needsKeepalive(scenario) {
                #expect(result.verdict == .unimplemented, "\(defect): \(result.summary)")
            } else {
                #expect(result.passed, "\(defect): \(result.summary)")
            }
        }
        #expect(caught > 0)
    }
}
