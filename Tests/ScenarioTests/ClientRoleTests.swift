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
    /// The built-in client (`ClientSession`) as the echo client Autobahn|Testsuite's fuzzingserver expects: it
    /// sends back every message it receives until the server closes.
    static let echoClient: @Sendable (any ByteTransport) async -> Void = { transport in
        let request = ClientHandshakeRequest(target: "/", host: "127.0.0.1", nonce: Array(0..<16))
        guard let session = try? await ClientSession.connect(over: transport, request: request, maskKeys: SeededMaskKeySource(seed: 7))
        else { return }
        while let message = try? await session.receive(timeout: .seconds(120)) {
            switch message {
            case .text(let text): try? await session.send(text: text)
            case .binary(let bytes): try? await session.send(binary: bytes)
            }
        }
        _ = await session.receiveClosure(timeout: .seconds(10))
    }

    static let cases = InProcessClientSuite.clientRoleCases(Catalog.cases(CaseSelection(cases: "1.*,2.*,3.*,4.*,5.*,6.*,7.*")))

    @Test func theBuiltInClientIsOKOnEveryClientRoleCaseOfSections1To7() async {
        #expect(Self.cases.count > 200)
        let results = await InProcessClientSuite(runClient: Self.echoClient).run(Self.cases, jobs: 2)
        for result in results {
            let acceptable: Set<Verdict> = result.requirement == .may ? [.ok, .informational] : [.ok]
            #expect(acceptable.contains(result.verdict) && [.ok, .informational].contains(result.closeVerdict),
                    "\(result.id): \(result.verdict)/\(result.closeVerdict): \(result.reasons.joined(separator: "; "))")
        }
    }

    /// A client that reads and never echoes: the grading is not vacuous, every case that expects an echo fails.
    @Test func aClientThatDoesNotEchoFailsTheCasesThatExpectOne() async {
        let silent: @Sendable (any ByteTransport) async -> Void = { transport in
            let request = ClientHandshakeRequest(target: "/", host: "127.0.0.1", nonce: Array(0..<16))
            guard let session = try? await ClientSession.connect(over: transport, request: request, maskKeys: SeededMaskKeySource(seed: 7))
            else { return }
            _ = await session.receiveClosure(timeout: .seconds(120))
        }
        let echoing = Self.cases.filter { $0.id.description.hasPrefix("1.") || $0.id.description.hasPrefix("9.") }
        let results = await InProcessClientSuite(runClient: silent).run(echoing, jobs: 2)
        #expect(!results.isEmpty)
        for result in results { #expect(result.verdict == .failed, "\(result.id): \(result.verdict)") }
    }

    @Test func resultsAreTheSameForTheSameSeed() async {
        let some = Array(Self.cases.prefix(40))
        let suite = InProcessClientSuite(runClient: Self.echoClient)
        let first = await suite.run(some, seed: 5), second = await suite.run(some, seed: 5)
        #expect(first.map { "\($0.verdict)/\($0.closeVerdict)/\($0.wire.count)" } == second.map { "\($0.verdict)/\($0.closeVerdict)/\($0.wire.count)" })
    }
}
