import Foundation
import Scenario
import Testing
import WSSpecCommand

@testable import ConformanceReport

@Suite("Saved runs read from files are input: errors that name the file and field, never a trap")
struct SavedRunInputTests {
    /// A saved run's JSON, changed by `edit`, written to a directory of its own.
    private func crafted(_ edit: (inout [String: Any]) -> Void) async throws -> URL {
        let run = await SampleRuns.run(agent: "a", pongs: true)
        let directory = SampleRuns.directory()
        try ReportWriter.write(run, formats: [], to: directory)
        let file = directory.appendingPathComponent(ReportWriter.runFileName)
        var runs = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [[String: Any]])
        edit(&runs[0])
        // A number past Int64 cannot be made by JSONSerialization: a sentinel stands in for it.
        let text = String(decoding: try JSONSerialization.data(withJSONObject: runs), as: UTF8.self)
            .replacingOccurrences(of: "987654321987", with: "99999999999999999999999")
        try Data(text.utf8).write(to: file)
        return directory
    }

    private static func firstResult(_ run: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        var results = run["results"] as! [[String: Any]]
        edit(&results[0])
        run["results"] = results
    }

    @Test(arguments: [
        ("negative run duration", "json: duration: negative, out of range"),
        ("huge case duration", "results[0] (case 1.1.1).duration: over 30 days, out of range"),
        ("negative wire length", "results[0] (case 1.1.1).wire[0].length: -1 is less than"),
        ("status past HTTP", "results[0] (case 1.1.1).handshake.status: 123456 is not an HTTP status"),
        ("seconds past Int64", "wsspec-run.json is not a saved wsspec run"),
        ("a figure past Int64", "results[0] (case 1.1.1).measurements[0].value: 1e+300 is out of range"),
        ("missing verdict", "results[0]"),
        ("shard count zero", "shard 0/0 is not K/N"),
        ("shard count negative", "shard 1/-3 is not K/N"),
        ("shard count 10^15", "shard 1/1000000000000000 is not K/N"),
        ("wire lengths of Int.max", "results[0] (case 1.1.1).wire[0].length: the lengths add up to more than 1 TiB"),
        ("a date past any year", "json: startedAt: not a date")
    ])
    func craftedRunsAreRefusedWithTheField(_ damage: String, _ message: String) async throws {
        let directory = try await crafted { run in
            switch damage {
            case "negative run duration": run["duration"] = [-5, 0]
            case "huge case duration": Self.firstResult(&run) { $0["duration"] = [Int64.max, 0] }
            case "negative wire length":
                Self.firstResult(&run) { result in
                    var wire = result["wire"] as! [[String: Any]]
                    wire[0]["length"] = -1
                    wire[0]["hex"] = ""
                    result["wire"] = wire
                }
            case "status past HTTP":
                Self.firstResult(&run) { result in
                    var handshake = result["handshake"] as! [String: Any]
                    handshake["status"] = 123_456
                    result["handshake"] = handshake
                }
            case "seconds past Int64": Self.firstResult(&run) { $0["duration"] = [987_654_321_987, 0] }
            case "a figure past Int64": Self.firstResult(&run) { $0["measurements"] = [["name": "mean round trip", "value": 1e300, "unit": "ms"]] }
            case "shard count zero": run["shard"] = ["index": 0, "count": 0]
            case "shard count negative": run["shard"] = ["index": 1, "count": -3]
            case "shard count 10^15": run["shard"] = ["index": 1, "count": 1_000_000_000_000_000]
            case "wire lengths of Int.max":
                Self.firstResult(&run) { result in
                    var wire = result["wire"] as! [[String: Any]]
                    wire[0]["length"] = Int.max
                    wire[1]["length"] = Int.max
                    result["wire"] = wire
                }
            case "a date past any year": run["startedAt"] = 1e300
            default: Self.firstResult(&run) { $0["verdict"] = nil }
            }
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect {
            _ = try ReportWriter.load(directory)
        } throws: { error in
            "\(error)".contains(ReportWriter.runFileName) && "\(error)".contains(message)
        }
        #expect(await WSSpec.runAsMain(["report", directory.path, "--report-dir", directory.appendingPathComponent("out").path]) == 2)
        #expect(await WSSpec.runAsMain(["diff", directory.path, directory.path]) == 2)
    }

    @Test func agentsWhoseNamesLookAlikeKeepTheirOwnFiles() async throws {
        // `_oo-f2bb9519` is what `Foo` was once written as; `a_1` and `a` with a case `1.x` once shared a page.
        let names = ["srv/1", "srv_1", "A", "a", "srv 1", "Foo", "_oo-f2bb9519", "+46oo", "a_1", String(repeating: "é", count: 90)]
        var runs: [ConformanceRun] = []
        for name in names { runs.append(await SampleRuns.run(agent: name, pongs: true)) }
        let directory = SampleRuns.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try ReportWriter.write(runs, formats: [.json, .html], to: directory)
        // Every file name is distinct even ignoring case, so no agent's page overwrites another's.
        let lowered = files.map { $0.path.lowercased() }
        #expect(Set(lowered).count == files.count)
        #expect(files.count == 3 + 2 * names.count * runs[0].results.count) // The run, index.json, index.html, and per case.
    }

    /// File names are one to one with (agent, case), whatever either holds: checked over names built to collide.
    @Test func caseFileNamesAreOneToOne() {
        let agents = ["a", "a_1", "a_case_1", "A", "Foo", "+46oo", "_oo-f2bb9519", "a/b", "a+2fb", "", "+", "++", "x_case_"]
        let ids: [CaseID] = ["1", "1.1", "1.1.1", "11.1", "1.11", "2"]
        var seen: [String: String] = [:]
        for agent in agents {
            for id in ids {
                for name in [AutobahnJSON.caseFileName(agent: agent, id: id), HTMLReport.casePagePath(agent: agent, id: id)] {
                    let key = name.lowercased()
                    #expect(seen[key] == nil, "\(name) for \(agent.debugDescription) \(id) and for \(seen[key] ?? "")")
                    seen[key] = "\(agent.debugDescription) \(id)"
                }
            }
        }
        #expect(AutobahnJSON.safeFileName(String(repeating: "x", count: 200)).hasPrefix("++"))
    }
}
