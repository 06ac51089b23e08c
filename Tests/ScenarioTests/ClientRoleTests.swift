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

    /// The client's handling of the 101, sections 1-7 and 10, and the smallest of the load section 9 (its
    /// megabyte messages take minutes under the sanitizers; `scripts/client-matrix.sh` runs them all against a real
    /// client). 12 and 13 need client-role variants.
    static let cases = Catalog.clientRole.filter {
        [0, 1, 2, 3, 4, 5, 6, 7, 10].contains($0.id.section) || ["9.1.1", "9.1.2", "9.2.1", "9.2.2", "9.7.1", "9.8.1"].contains($0.id.description)
    }

    @Test func theBuiltInClientIsOKOnEveryClientRoleCase() async {
        #expect(Self.cases.count > 250, "\(Self.cases.count)")
        #expect(Self.cases.filter { $0.id.section == 0 }.count == 6)
        let results = await InProcessClientSuite(runClient: Self.echoClient).run(Self.cases, jobs: 2)
        for result in results {
            let acceptable: Set<Verdict> = result.requirement == .may ? [.ok, .informational] : [.ok]
            #expect(acceptable.contains(result.verdict) && [.ok, .informational].contains(result.closeVerdict),
                    "\(result.id): \(result.verdict)/\(result.closeVerdict): \(result.reasons.joined(separator: "; "))")
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

    /// A defective client: it takes any HTTP head for an upgrade, then echoes through the core's `Connection`.
    static let lenientClient: @Sendable (any ByteTransport) async -> Void = { transport in
        let request = ClientHandshakeRequest(target: "/", host: "127.0.0.1", nonce: Array(0..<16))
        await transport.write(request.serialize())
        var received: [UInt8] = []
        var rest: [UInt8]?
        while rest == nil {
            guard case .bytes(let bytes) = await transport.read(until: transport.elapsed + .seconds(10)) else { return }
            received += bytes
            if let end = received.indices.first(where: { received[$0...].starts(with: [13, 10, 13, 10]) }) {
                rest = Array(received[(end + 4)...])
            }
        }
        let connection = Connection(role: .client, maskKeys: SeededMaskKeySource(seed: 3))
        var events = connection.receive(rest ?? [])
        while true {
            for event in events {
                switch event {
                case .text(let text): try? connection.send(text: text)
                case .binary(let bytes): try? connection.send(binary: bytes)
                default: break
                }
            }
            if connection.hasOutbound { await transport.write(connection.takeOutbound()) }
            if connection.state == .closed { break }
            switch await transport.read(until: transport.elapsed + .seconds(120)) {
            case .bytes(let bytes): events = connection.receive(bytes)
            case .endOfStream, .reset, .timedOut: events = connection.transportClosed(); if events.isEmpty { break }
            }
            if connection.state == .closed { break }
        }
        await transport.close()
    }

    /// The lenient client is caught by the 0.9.x cases, each of which targets one check it skips, and by no other.
    @Test func aClientThatTakesAnyAnswerForAnUpgradeFailsTheHandshakeCasesAndOnlyThose() async {
        let cases = Self.cases.filter { $0.id.section != 9 }
        let results = await InProcessClientSuite(runClient: Self.lenientClient).run(cases, jobs: 2)
        for result in results {
            if result.id.section == 0 {
                #expect(result.verdict == .failed, "\(result.id): \(result.verdict)")
            } else {
                let acceptable: Set<Verdict> = result.requirement == .may ? [.ok, .informational] : [.ok]
                #expect(acceptable.contains(result.verdict), "\(result.id): \(result.verdict): \(result.reasons.joined(separator: "; "))")
            }
        }
    }

    @Test func resultsAreTheSameForTheSameSeed() async {
        let some = Array(Self.cases.filter { $0.id.section != 9 }.prefix(60))
        let suite = InProcessClientSuite(runClient: Self.echoClient)
        let first = await suite.run(some, seed: 5), second = await suite.run(some, seed: 5)
        #expect(first.map { "\($0.verdict)/\($0.closeVerdict)/\($0.wire.count)" } == second.map { "\($0.verdict)/\($0.closeVerdict)/\($0.wire.count)" })
    }
}
