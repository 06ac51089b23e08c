import ConformanceSuite
import ReferenceServer
import Scenario
import Testing

/// Each defective server must be caught by exactly the cases that check its defect, with the verdict
/// written here, and pass every other case. This is what makes the catalog's verdicts trustworthy.
@Suite("Deliberately broken servers")
struct DefectiveServerTests {
    typealias Defect = DefectiveEchoServer.Defect

    /// How the same server without a defect fares in a case: what the defects are measured against.
    struct Baseline {
        /// Cases in which the correct server upgrades the connection, and those in which it echoes a message.
        var upgrading: Set<CaseID> = []
        var echoing: Set<CaseID> = []
    }

    /// The verdict a case gives the defect; `nil` where the case must pass.
    static func verdict(for defect: Defect, in scenario: ScenarioCase, baseline: Baseline) -> Verdict? {
        let checks = scenario.checks
        /// Where the defect breaks what the case checks, the case's own level decides the verdict.
        let mismatch = scenario.requirement.verdictOnMismatch
        switch defect {
        case .noUTF8Check: return checks.contains(.invalidUTF8) ? .failed : nil
        // Failing only at the end of the message is a SHOULD violation (Autobahn|Testsuite judges it so too).
        case .noFailFast: return checks.contains(.failFast) ? .nonStrict : nil
        case .acceptsReservedBits: return checks.contains(.reservedBits) ? .failed : nil
        case .acceptsReservedOpcodes: return checks.contains(.reservedOpcodes) ? .failed : nil
        case .neverAnswersPings: return checks.contains(.ping) ? mismatch : nil
        // Every case in which the peer must fail the connection (with 1002 or 1007, never 1000).
        case .wrongCloseCodes:
            if case .peerFails = scenario.closing, !needsKeepalive(scenario) { return .failed }
            return nil
        case .echoesLongCloseReason: return checks.contains(.controlFrameLength) ? .failed : nil
        // Without the accept key no connection opens: only the cases that expect a refusal still pass.
        case .skipsAcceptKey: return baseline.upgrading.contains(scenario.id) ? .failed : nil
        // A server may understand draft version 8 as well as 13 (RFC 6455 §4.2.2): upgrading it is recorded.
        case .ignoresVersion: return checks.contains(.version) ? (scenario.id == "0.2.2" ? .informational : .failed) : nil
        case .echoesInvalidCloseCodes: return checks.contains(.invalidCloseCode) ? .failed : nil
        case .closeMidMessageIsAnError: return checks.contains(.closeMidMessage) ? .failed : nil
        case .upgradesHTTP10: return checks.contains(.httpVersion) ? .failed : nil
        case .upgradesWithoutHost: return checks.contains(.host) ? .failed : nil
        // §4.4 requires the header for a version the server does not speak; for one that is not a version at
        // all, only §4.2.1's error status is required (0.2.4).
        case .refusesVersionSilently:
            guard scenario.handshake.expect.refusalOffersVersion else { return nil }
            return scenario.handshake.expect.refusalWithoutVersion
        // A SHOULD: the cases pass, with an advisory (checked below).
        case .dropsWithoutCloseFrame: return nil
        case .echoesTwice: return baseline.echoing.contains(scenario.id) ? mismatch : nil
        case .answersAfterClose: return checks.contains(.afterClose) ? mismatch : nil
        }
    }

    /// Cases that need a keepalive configuration this server does not have.
    static func needsKeepalive(_ scenario: ScenarioCase) -> Bool {
        !scenario.checks.isDisjoint(with: [.serverPing, .pongTimeout, .closeTimeout])
    }

    static func baseline() async -> Baseline {
        let results = await suite(nil).run(Catalog.protocolCases, jobs: 2)
        return Baseline(
            upgrading: Set(results.filter { $0.handshake?.status == 101 }.map(\.id)),
            echoing: Set(results.filter { $0.observed.contains(where: \.event.isMessage) }.map(\.id)))
    }

    static func suite(_ defect: Defect?) -> InProcessSuite {
        var parameters = RunParameters()
        parameters.subprotocol = "wsspec.echo"
        return InProcessSuite(parameters: parameters) { DefectiveEchoServer(defect) }
    }

    @Test("without a defect every case passes")
    func theBaselinePasses() async {
        let results = await Self.suite(nil).run(Catalog.protocolCases, jobs: 2)
        for (scenario, result) in zip(Catalog.protocolCases, results) where !Self.needsKeepalive(scenario) {
            #expect(result.passed && result.advisories.isEmpty, "\(result.summary)")
        }
    }

    @Test("each defect is caught by the cases that check it, and only by them", arguments: Defect.allCases)
    func defectIsCaught(_ defect: Defect) async {
        let baseline = [.skipsAcceptKey, .echoesTwice].contains(defect) ? await Self.baseline() : Baseline()
        let results = await Self.suite(defect).run(Catalog.protocolCases, jobs: 2)
        var caught = 0
        for (scenario, result) in zip(Catalog.protocolCases, results) {
            if let verdict = Self.verdict(for: defect, in: scenario, baseline: baseline) {
                caught += 1
                #expect(result.verdict == verdict, "\(defect): \(result.summary)")
                #expect(result.fails(strict: false) == (verdict == .failed), "\(defect): \(result.summary)")
            } else if Self.needsKeepalive(scenario) {
                #expect(result.verdict == .unimplemented, "\(defect): \(result.summary)")
            } else {
                #expect(result.passed, "\(defect): \(result.summary)")
            }
        }
        #expect(caught > 0 || defect == .dropsWithoutCloseFrame)
    }

    /// Dropping TCP without a close frame when failing the connection passes by default (Autobahn|Testsuite
    /// agrees) but is never silent: every such case carries the advisory, and `--strict` fails it.
    @Test func droppingWithoutACloseFrameIsAnAdvisory() async {
        let results = await Self.suite(.dropsWithoutCloseFrame).run(Catalog.protocolCases, jobs: 2)
        var advised = 0
        for (scenario, result) in zip(Catalog.protocolCases, results) where !Self.needsKeepalive(scenario) {
            let failsTheConnection = if case .peerFails = scenario.closing { true } else { false }
            #expect(result.passed, "\(result.summary)")
            #expect(result.advisories.contains(.droppedWithoutCloseFrame) == failsTheConnection, "\(result.summary)")
            #expect(result.fails(strict: true) == (failsTheConnection || result.verdict == .nonStrict), "\(result.summary)")
            if failsTheConnection { advised += 1 }
        }
        #expect(advised > 50)
    }
}
