import Foundation
import ReferenceServer
import Scenario
import Testing

@Suite("Scenario files")
struct ScenarioFileTests {
    static let examples = [
        "echo-basics.wsspec", "fail-fast.wsspec", "compression.wsspec", "aiohttp-empty-first-fragment.wsspec", "opening-requests.wsspec",
        "broken-compressed-block.wsspec"
    ]

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

    @Test("an open line says a broken request and the refusal it must get, and a request renders back to the same line")
    func openLinesSayBrokenRequests() throws {
        let source = """
            case 1.1 "x"
              open method "PUT" http-version "HTTP/1.0" omit "Host" duplicate "Sec-WebSocket-Key" set "Upgrade" "h2c" add "X-A" "\\"q\\"" refused 400 426 offering-version
            end
            case 1.2 "y"
              open origin "http://127.0.0.1" refused
            end
            """
        let cases = try ScenarioFileParser.parse(source, file: "t.wsspec")
        guard case .open(let spec) = cases[0].steps[0], case .open(let plain) = cases[1].steps[0] else {
            Issue.record("expected open steps: \(cases.map(\.steps))")
            return
        }
        #expect(spec.method == "PUT" && spec.httpVersion == "HTTP/1.0")
        #expect(spec.overrides == [.omit("Host"), .duplicate("Sec-WebSocket-Key"), .set("Upgrade", "h2c"), .add("X-A", "\"q\"")])
        #expect(spec.expect == .refusal([400, 426], offeringVersion: true))
        #expect(plain.origin == "http://127.0.0.1" && plain.expect == .refusal(nil))
        // A changed method, version or field is of the HTTP/1.1 upgrade: over HTTP/2 the case is UNIMPLEMENTED.
        #expect(cases[0].opening == .http1Upgrade && cases[1].opening == nil)
        for request in [spec, plain] {
            let line = try #require(request.scenarioFileLine)
            let again = try ScenarioFileParser.parse("case 1.1 \"x\"\n  \(line)\nend\n", file: "t.wsspec")
            guard case .open(let parsed) = again[0].steps[0] else { return }
            #expect(parsed == request, "\(line)")
        }
        // What the file cannot say is not written as something else.
        var keyed = HandshakeSpec()
        keyed.key = "AAAA"
        #expect(keyed.scenarioFileLine == nil)
    }

    @Test("a compressed round trip, or a step that needs the extension, against a server without it is UNIMPLEMENTED")
    func compressedRoundTripsNeedTheExtension() async throws {
        let cases = try ScenarioFileParser.load(Fixtures.url("scenarios/compression.wsspec"))
        var configuration = EchoServerConfiguration()
        configuration.permessageDeflate = nil
        let results = await InProcessSuite.referenceServer(configuration).run(cases)
        #expect(results.map(\.verdict) == [.unimplemented, .unimplemented, .ok])
        // `needs permessage-deflate`: a frame with RSV1 is not sent as if it meant "compressed" to a server that declined.
        let broken = try ScenarioFileParser.load(Fixtures.url("scenarios/broken-compressed-block.wsspec"))
        let declined = await InProcessSuite.referenceServer(configuration).run(broken)
        #expect(declined.map(\.verdict) == [.unimplemented, .unimplemented], "\(declined.map(\.summary))")
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
            (
                "case 1.1 \"x\"\n  open host \"h\"\nend\n",
                "t.wsspec:2:8: unknown open field 'host' (subprotocol, extension, origin, method, http-version, omit, duplicate, set, add, refused)"
            ),
            ("case 1.1 \"x\"\n  open omit \"Ho st\"\nend\n", "t.wsspec:2:13: 'Ho st' is not a header field name"),
            ("case 1.1 \"x\"\n  open set \"Host\" \"a\\nb\"\nend\n", "t.wsspec:2:19: a header value may not hold CR, LF or NUL"),
            ("case 1.1 \"x\"\n  open refused 200\nend\n", "t.wsspec:2:16: a refusal status is a 4xx or 5xx status"),
            (
                "case 1.1 \"x\"\n  open set \"Host\"\nend\n",
                "t.wsspec:2:8: 'set' needs a quoted value; expected: open [subprotocol \"NAME\"]… [extension \"OFFER\"]… [origin \"ORIGIN\"] "
                    + "[method \"M\"] [http-version \"V\"] [omit|duplicate \"FIELD\"]… [set|add \"FIELD\" \"VALUE\"]… [refused [STATUS…] [offering-version]]"
            ),
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
