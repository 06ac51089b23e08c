import Foundation
import ReferenceServer
import Scenario
import Testing

@Suite("Scenario files")
struct ScenarioFileTests {
    static let examples = ["echo-basics.wsspec", "fail-fast.wsspec"]

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
        #expect(cases[0].checks == ["invalid-utf8", "fail-fast"])
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
        #expect(spec.frame.payload == [0xCE, 0xBA, 0xED, 0xA0, 0x80])  // \x escapes give exact bytes
    }

    @Test("errors name the file, line and column", arguments: [
        ("case 1.1 \"x\"\n  send text \"a\"\n", "t.wsspec:1:1: case 1.1 is never ended ('end')"),
        ("case 1.1 \"x\"\n  wait soon\nend\n", "t.wsspec:2:8: expected a duration such as 500ms or 2s, found 'soon'"),
        ("case one \"x\"\nend\n", "t.wsspec:1:6: 'one' is not a case id (dotted numbers, e.g. 100.1)"),
        ("case 1.1 \"x\"\n  send text \"unterminated\nend\n", "t.wsspec:2:13: unterminated string"),
        ("  send text \"a\"\n", "t.wsspec:1:3: 'send' outside a case (start one with: case ID \"title\")"),
        ("case 1.1 \"x\"\n  expect close 1000 within\nend\n", "t.wsspec:2:21: 'within' needs a duration"),
        ("case 1.1 \"x\"\n  send frame opcode=99\nend\n", "t.wsspec:2:14: opcode is 0…15"),
        ("case 1.1 \"x\"\n  one-of\n  option great \"?\"\n", "t.wsspec:3:10: unknown verdict 'great' (ok, non-strict, informational, unimplemented, failed)"),
        ("case 1.1 \"x\"\nend\n", "t.wsspec:2:1: case 1.1 has no steps"),
        ("case 1.1 \"x\"\n send text \"a\"\nend\ncase 1.1 \"y\"\n", "t.wsspec:4:6: case 1.1 is defined twice"),
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
