import ConformanceSuite
import Scenario
import Testing
import Transport
import WebSocketCore
import WebSocketTesting

/// The suite in the server role: the script accepts the connection and the client under test echoes, in-process
/// on virtual time.
@Suite("The suite in the server role, against the built-in client")
struct ClientRoleTests {
    /// The built-in client (`ClientSession`) as the echo client Autobahn|Testsuite's fuzzingserver expects, offering
    /// permessage-deflate.
    static let echoClient: @Sendable (any ByteTransport) async -> Void = { transport in await EchoClient().run(over: transport) }

    /// The client's handling of the 101, sections 1-7 and 10, and the smallest of the load sections 9, 12 and 13
    /// (their megabyte messages take minutes under the sanitizers; `wsspec run-client --sim` in scripts/test.sh runs
    /// every client-role case against the built-in client, and `scripts/client-matrix.sh` against real clients).
    static let cases = Catalog.clientRole.filter {
        [0, 1, 2, 3, 4, 5, 6, 7, 10].contains($0.id.section)
            || CaseSelection(cases: "9.1.1,9.1.2,9.2.1,9.2.2,9.7.1,9.8.1,12.1.1,12.2.2,12.5.11,13.2.1,13.5.3,13.6.11,13.7.1").contains($0.id)
    }

    @Test func theBuiltInClientIsOKOnEveryClientRoleCase() async {
        #expect(Self.cases.count > 250, "\(Self.cases.count)")
        #expect(Self.cases.filter { $0.id.section == 0 }.count == 6)
        #expect(Self.cases.filter { $0.id.section >= 12 }.count == 7)
        let results = await InProcessClientSuite(runClient: Self.echoClient).run(Self.cases, jobs: 2)
        for result in results {
            let acceptable: Set<Verdict> = result.requirement == .may ? [.ok, .informational] : [.ok]
            #expect(
                acceptable.contains(result.verdict) && [.ok, .informational].contains(result.closeVerdict),
                "\(result.id): \(result.verdict)/\(result.closeVerdict): \(result.reasons.joined(separator: "; "))")
            if result.id.section >= 12 { #expect(result.permessageDeflate != nil, "\(result.id) ran without compression") }
        }
    }

    /// A client that reads and never echoes: the grading is not vacuous, every 1.x case (an echo each) fails.
    @Test func aClientThatDoesNotEchoFailsTheCasesThatExpectOne() async {
        let silent: @Sendable (any ByteTransport) async -> Void = { transport in
            let request = ClientHandshakeRequest(target: "/", host: "127.0.0.1", nonce: Array(0..<16))
            guard let session = try? await ClientSession.connect(over: transport, request: request, maskKeys: SeededMaskKeySource(seed: 7))
            else { return }
            _ = await session.receiveClosure(timeout: .seconds(120))
        }
        let echoing = Self.cases.filter { $0.id.section == 1 }
        let results = await InProcessClientSuite(runClient: silent).run(echoing, jobs: 2)
        #expect(!results.isEmpty)
        for result in results { #expect(result.verdict == .failed, "\(result.id): \(result.verdict)") }
    }

    @Test func resultsAreTheSameForTheSameSeed() async {
        let some = Array(Self.cases.filter { $0.id.section != 9 }.prefix(60))
        let suite = InProcessClientSuite(runClient: Self.echoClient)
        let first = await suite.run(some, seed: 5), second = await suite.run(some, seed: 5)
        #expect(
            first.map { "\($0.verdict)/\($0.closeVerdict)/\($0.wire.count)" } == second.map { "\($0.verdict)/\($0.closeVerdict)/\($0.wire.count)" })
    }
}
