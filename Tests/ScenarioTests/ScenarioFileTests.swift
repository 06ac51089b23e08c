import Foundation
import ReferenceServer
import Scenario
import Testing

@Suite("Scenario files")
struct ScenarioFileTests {
    static let examples = ["echo-basics.wsspec", "fail-fast.wsspec", "compression.wsspec", "aiohttp-empty-first-fragment.wsspec"]

    @Test("the examples parse and pass against the reference server", arguments: examples)
    func examplesPass(name: String) async throws {
        let cases = try ScenarioFileParser.load(Fixtures.url("scenarios/\(name)"))
        #expect(!cases.isEmpty)
        let results = await InProcessSuite.referenceServer().run(cases)
        for result in results {
            #expect(result.verdict == .ok && result.closeVerdict == .ok, "\(result.summary)")
        }
    }

    @Test func parsedCasesCarryTheirMetadata() throws {
        let cases = try ScenarioFileParser.load(Fixtures.url("scenarios/fail-fast.wsspec"))
        #expect(cases.map(\.id) == ["101.1", "101.2"])
        #expect(cases[0].checks == [.invalidUTF8, .failFast])
        #expect(cases[0].closing == .peerFails(codes: [1007]))
        #expect(cases[0].deadline == .seconds(60))
        guard case .oneOf(let alternatives) = cases[0].steps[3] else {
            Issue.record("step 4 is not one-of: \(cases[0].steps[3])")
            return
        }
        #expect(alternatives.map(\.verdict) == [.ok, .nonStrict])
        guard case .send(let spec) = cases[1].steps[1] else {
            Issue.record("step 2 is not a send")
            return
        }
        #expect(spec.frame.payload == [0xCE, 0xBA, 0xED, 0xA0, 0x80]) // \x escapes give exact bytes
    }

    @Test func openAndRoundTripLinesCarryTheirOptions() throws {
        let cases = try ScenarioFileParser.load(Fixtures.url("scenarios/compression.wsspec"))
        guard case .open(let spec) = cases[1].steps[0], case .roundTrips(let trips) = cases[1].steps[1] else {
            Issue.record("expected open, then round-trips: \(cases[1].steps)")
            return
        }
        #expect(spec.extensions.map(\.description) == ["permessage-deflate; server_no_context_takeover; server_max_window_bits=10"])
        #expect(spec.subprotocols == ["chat"])
        #expect(trips.opcode == .binary && trips.messageSize == 4096 && trips.count == 20)
        #expect(trips.fragmentSize == 300 && trips.compressed && trips.timeout == .seconds(10))
        #expect(trips.corpus.bytes == [0x00, 0x01, 0x02, 0x03, 0xFF, 0xFE, 0xFD, 0xFC])
    }

    @Test("a compressed round trip against a server without the extension is UNIMPLEMENTED")
    func compressedRoundTripsNeedTheExtension() async throws {
        let cases = try ScenarioFileParser.load(Fixtures.url("scenarios/compression.wsspec"))
        var configuration = EchoServerConfiguration()
        configuration.permessageDeflate = nil
        let results = await InProcessSuite.referenceServer(configuration).run(cases)
        #expect(results.map(\.verdict) == [.unimplemented, .unimplemented, .ok])
    }

    @Test(
        "errors name the file, line and column",
        arguments: [
            ("case 1.1 \"x\"\n  send text \"a\"\n", "t.wsspec:1:1: case 1.1 is never ended ('end')"),
            ("case 1.1 \"x\"\n  wait soon\nend\n", "t.wsspec:2:8: expected a duration such as 500ms or 2s, found 'soon'"),
            ("case one \"x\"\nend\n", "t.wsspec:1:6: 'one' is not a case id (dotted numbers, e.g. 100.1)"),
            ("case 1.1 \"x\"\n  send text \"unterminated\nend\n", "t.wsspec:2:13: unterminated string"),
            ("  send text \"a\"\n", "t.wsspec:1:3: 'send' outside a case (start one with: case ID \"title\")"),
            ("case 1.1 \"x\"\n  expect close 1000 within\nend\n", "t.wsspec:2:21: 'within' needs a duration"),
            ("case 1.1 \"x\"\n  send frame opcode=99\nend\n", "t.wsspec:2:14: opcode is 0…15"),
            (
                "case 1.1 \"x\"\n  one-of\n  option great \"?\"\n",
                "t.wsspec:3:10: unknown verdict 'great' (ok, non-strict, informational, unimplemented, failed)"
            ),
            ("case 1.1 \"x\"\nend\n", "t.wsspec:2:1: case 1.1 has no steps"),
            ("case 1.1 \"x\"\n send text \"a\"\nend\ncase 1.1 \"y\"\n", "t.wsspec:4:6: case 1.1 is defined twice"),
            (
                "case 1.1 \"x\"\n  open extension \"permessage-deflate;;\"\nend\n",
                "t.wsspec:2:18: 'permessage-deflate;;' is not an extension offer (e.g. \"permessage-deflate; client_max_window_bits\")"
            ),
            ("case 1.1 \"x\"\n  open host \"h\"\nend\n", "t.wsspec:2:8: unknown open field 'host' (subprotocol, extension, origin)"),
            (
                "case 1.1 \"x\"\n  round-trips text \"κ\" 10 5\nend\n",
                "t.wsspec:2:20: a text payload for round trips must be ASCII (messages are slices of it)"
            ),
            ("case 1.1 \"x\"\n  round-trips binary 0x01 0 5\nend\n", "t.wsspec:2:27: SIZE is a whole number from 1 to 67108864"),
            (
                "case 1.1 \"x\"\n  round-trips binary 0x01 8 5 zipped\nend\n",
                "t.wsspec:2:31: unknown round-trips option 'zipped' (fragment, compressed, timeout)"
            ),
            ("case 1.1 \"x\"\n  checks utf8 invalid-utf-8\nend\n", "t.wsspec:2:15: unknown check 'invalid-utf-8' (known: \(Check.knownNames))")
        ])
    func errorsArePrecise(source: String, message: String) {
        #expect(throws: ScenarioFileError.self) { try ScenarioFileParser.parse(source, file: "t.wsspec") }
        do {
            _ = try ScenarioFileParser.parse(source, file: "t.wsspec")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func anUnreadableFileIsAnErrorNotACrash() {
        #expect(throws: ScenarioFileError.self) {
            try ScenarioFileParser.load(URL(fileURLWithPath: "/nonexistent/cases.wsspec"))
        }
    }
}
