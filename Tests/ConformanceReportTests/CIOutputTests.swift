import ConformanceSuite
import Foundation
import Scenario
import Testing
import WSSpecCommand

@testable import ConformanceReport

@Suite("CI output: baselines, the Markdown summary, shards merged")
struct CIOutputTests {
    // MARK: Baselines

    @Test func aBaselineAcceptsListedFailuresAndCatchesNewOnes() async throws {
        let run = await SampleRuns.run(agent: "no-pongs", pongs: false)
        let failing = run.failures
        try #require(failing.count >= 2)
        let written = Baseline(accepting: run)
        let reread = try Baseline.parse(written.text(target: run.target), name: "written")
        #expect(reread.entries.map(\.id) == written.entries.map(\.id))
        #expect(reread.compare(run).passes)
        #expect(reread.compare(run).accepted.count == failing.count)

        // One failure left out of the baseline is new: the run fails, and names it.
        let partial = Baseline(entries: reread.entries.filter { $0.id != failing[0].id })
        let comparison = partial.compare(run)
        #expect(!comparison.passes)
        #expect(comparison.unexpected.map(\.id) == [failing[0].id])

        // An entry whose case now passes no longer applies; it does not fail the run.
        let fixed = Baseline(entries: reread.entries + [Baseline.Entry(id: "1.1.1", verdict: .failed, closeVerdict: nil, reason: "was broken")])
        #expect(fixed.compare(run).passes)
        #expect(fixed.compare(run).stale.map(\.entry.id) == ["1.1.1"])

        // The same case failing another way is new, and the old entry is stale.
        var other = reread.entries
        other[0].verdict = .nonStrict
        let changed = Baseline(entries: other).compare(run)
        #expect(!changed.passes && changed.stale.map(\.entry.id) == [other[0].id])
    }

    @Test func aVerdictAloneAcceptsAnyCloseVerdict() throws {
        let baseline = try Baseline.parse(
            """
            # comments and blank lines are fine

            7.1.5: failed  # we answer 1002 mid-fragment, tracked in #123
            6.4.3: NON-STRICT/WRONG CODE  # the close verdict too
            """, name: "b")
        #expect(baseline.entries.count == 2)
        #expect(baseline.entries[0].closeVerdict == nil && baseline.entries[0].reason == "we answer 1002 mid-fragment, tracked in #123")
        #expect(baseline.entries[1].closeVerdict == .wrongCode && baseline.entries[1].line == 4)
    }

    /// A baseline saved with Windows (CRLF) or old Mac (CR) line ends reads as the same lines, not as one long comment.
    @Test(arguments: ["\r\n", "\r", "\n"])
    func anyLineEndingReadsTheSame(_ end: String) throws {
        let text = ["# accepted verdicts", "7.1.5: FAILED  # one", "", "6.4.3: NON-STRICT/WRONG CODE  # two"].joined(separator: end) + end
        let baseline = try Baseline.parse(text, name: "b")
        #expect(baseline.entries.map(\.id) == ["7.1.5", "6.4.3"])
        #expect(baseline.entries.map(\.line) == [2, 4])
        #expect(baseline.entries.map(\.reason) == ["one", "two"])
    }

    @Test(arguments: [
        ("7.1.5 FAILED  # no colon", "b:1: expected"),
        ("x.y: FAILED  # bad id", "b:1: \"x.y\" is not a case id"),
        ("7.1.5: BROKEN  # bad verdict", "b:1: expected a verdict"),
        ("7.1.5: FAILED/SORT OF  # bad close", "b:1: unknown close verdict"),
        ("7.1.5: FAILED", "b:1: say why 7.1.5 is accepted"),
        ("7.1.5: FAILED  # a\n7.1.5: OK  # b", "b:2: 7.1.5 is already listed on line 1")
    ])
    func malformedBaselinesNameTheLine(_ text: String, _ message: String) {
        #expect {
            _ = try Baseline.parse(text, name: "b")
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test func peerTextInAWrittenBaselineStaysOnItsLine() throws {
        var run = ConformanceRun(agent: "a", target: "t\nx", startedAt: Date(), duration: .zero, seed: 0, strict: false, records: [])
        var record = CaseResult.notRun(Catalog.all[0], reason: "peer said\n7.1.1: OK  # forged\r\u{1B}[2J", seed: nil)
        record.verdict = .failed
        run.results = [record]
        let text = Baseline(accepting: run).text(target: run.target)
        let entries = try Baseline.parse(text, name: "w").entries
        #expect(entries.map(\.id) == [record.id])
        #expect(!text.contains("\u{1B}") && !text.contains("\r"))
    }

    // MARK: Markdown

    /// The summary's peer text (reasons, titles, agent names, targets) sits in code spans, where neither GitHub
    /// Flavored Markdown nor GitHub's own rendering acts: checked by splitting rows into cells and finding code spans
    /// as cmark-gfm does (tables first, then spans of matching backtick runs), and then finding nothing of the peer's
    /// outside them. A backslash before `@` once let mentions through (GitHub unescapes before it links mentions).
    @Test func theMarkdownSummaryKeepsPeerTextInCodeSpans() async throws {
        let hostile =
            "*bold* [link](http://127.0.0.1/) <script>alert(1)</script> | cell\nnext `code` @someone #123 GH-9 "
            + "owner/repo#4 a1b2c3d4e5f6 www.example.com x@y.example ``` |\u{301} `\u{301}"
        var run = await SampleRuns.run(agent: "no-pongs @team #7 <b>", pongs: false)
        run.target = "ws://127.0.0.1:9/ @target"
        run.results[0].reasons = [hostile]
        run.results[0].title = "title @title\u{202E}"
        run.results[0].verdict = .failed
        let directory = SampleRuns.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try ReportWriter.write(run, formats: [.markdown], to: directory)
        let text = try String(contentsOf: directory.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(text.contains("### wsspec: ` no-pongs @team #7 <b> ` FAIL"))
        #expect(text.contains("\(run.failures.count) cases fail the run"))
        for failure in run.failures { #expect(text.contains("| \(failure.id) | \(failure.verdict) |")) }
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| ---") && !$0.hasPrefix("| Case") }
        #expect(rows.count == run.failures.count)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let cells = line.hasPrefix("| ") ? GFM.cells(String(line)) : [String(line)]
            if line.hasPrefix("| ") && !line.hasPrefix("| ---") { #expect(cells.count == 6, "\(line)") }
            for cell in cells {
                let outside = GFM.outsideCodeSpans(cell)
                for marker in ["@", "<", "http", "www.", "#1", "#4", "#7", "GH-", "a1b2c3d", "*bold*", "[link]", "\u{202E}", "`"] {
                    #expect(!outside.contains(marker), "\(marker.debugDescription) outside a code span in \(line)")
                }
            }
        }
        #expect(!text.unicodeScalars.contains { $0 == "\u{202E}" })
    }

    @Test(arguments: [
        ("", "*(empty)*"), ("   ", "*(3 spaces)*"), ("a", "` a `"), ("`", "`` ` ``"), ("a``b", "``` a``b ```"),
        ("x\ny", "` x\\u{A}y `")
    ])
    func codeSpansFitTheirText(_ text: String, _ span: String) {
        #expect(MarkdownSummary.code(text) == span)
    }

    // MARK: The HTML index says what the exit status says

    @Test func theIndexHeadlineCountsTheCasesThatFailTheRun() async throws {
        var run = await SampleRuns.run(agent: "no-pongs", pongs: false)
        // One more case that fails by its closing handshake alone, as a server that never closes TCP does.
        let index = try #require(run.results.firstIndex { $0.isOK })
        run.results[index].closeVerdict = .unclean
        let failures = run.failures
        let byBehaviour = failures.count { $0.verdict == .failed }
        try #require(byBehaviour > 0 && byBehaviour < failures.count)
        let directory = SampleRuns.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try ReportWriter.write(run, formats: [.html], to: directory)
        let html = try String(contentsOf: directory.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(
            html.contains(
                "<strong>\(failures.count) cases fail the run</strong>: \(byBehaviour) with FAILED behaviour, "
                    + "\(failures.count - byBehaviour) with only a failed closing handshake"))
        // The filter selects exactly those rows.
        #expect(html.components(separatedBy: " data-fails=\"0\"").count - 1 == failures.count)
    }

    // MARK: Shards

    @Test func shardsMergedEqualTheWholeRun() async throws {
        let root = SampleRuns.directory()
        defer { try? FileManager.default.removeItem(at: root) }
        let selection = ["--sim", "--seed", "5", "--cases", "1.*,2.*,5.*,6.2.*,7.1.*,10.*", "--format", "json"]
        #expect(await WSSpec.runAsMain(["run"] + selection + ["--report-dir", root.appendingPathComponent("whole").path]) == 0)
        for index in 1...3 {
            #expect(
                await WSSpec.runAsMain(
                    ["run"] + selection + [
                        "--shard", "\(index)/3",
                        "--report-dir", root.appendingPathComponent("shard-\(index)").path
                    ]) == 0)
        }
        #expect(
            await WSSpec.runAsMain(
                ["report", "--format", "json", "--report-dir", root.appendingPathComponent("merged").path]
                    + (1...3).map { root.appendingPathComponent("shard-\($0)").path }) == 0)
        let whole = try ReportWriter.load(root.appendingPathComponent("whole"))
        let merged = try ReportWriter.load(root.appendingPathComponent("merged"))
        let shard = try ReportWriter.load(root.appendingPathComponent("shard-2"))
        #expect(merged.count == 1 && merged[0].shard == nil && merged[0].agent == whole[0].agent)
        #expect(shard[0].shard == Shard(index: 2, count: 3) && shard[0].results.count < whole[0].results.count)
        // Under simulation every case's result is a function of the run seed and its id: the merge is exact.
        #expect(merged[0].results == whole[0].results)
    }

    @Test func shardsThatDoNotBelongTogetherAreRefused() async throws {
        let run = await SampleRuns.run(agent: "a", pongs: true)
        var first = run
        first.shard = Shard(index: 1, count: 2)
        var twice = first
        twice.results = []
        #expect(throws: ShardMerge.Problem.self) { try ShardMerge.merge([first, twice]) }
        var otherCount = first
        otherCount.shard = Shard(index: 2, count: 3)
        #expect(throws: ShardMerge.Problem.self) { try ShardMerge.merge([first, otherCount]) }
        let (runs, missing) = try ShardMerge.merge([first])
        #expect(runs.count == 1 && missing == ["agent a: shard 2/2 missing"])
    }

    // MARK: The command line

    @Test func expectAndWriteExpectGateTheExitStatus() async throws {
        let root = SampleRuns.directory()
        defer { try? FileManager.default.removeItem(at: root) }
        let baseline = root.appendingPathComponent("expect.txt")
        let reports = root.appendingPathComponent("reports").path
        // --without makes 12.x UNIMPLEMENTED; a baseline written from that run accepts it (nothing fails it).
        let arguments = ["run", "--sim", "--cases", "1.1.*,12.1.1", "--format", "", "--report-dir", reports]
        #expect(await WSSpec.runAsMain(arguments + ["--without", "permessage-deflate", "--write-expect", baseline.path]) == 0)
        let written = try Baseline.load(baseline)
        #expect(written.entries.map(\.id) == ["12.1.1"] && written.entries[0].verdict == .unimplemented)
        #expect(await WSSpec.runAsMain(arguments + ["--expect", baseline.path]) == 0)

        // A baseline that expects a failure the run does not have still passes (the entry is stale)...
        try "1.1.1: FAILED  # was broken\n".write(to: baseline, atomically: true, encoding: .utf8)
        #expect(await WSSpec.runAsMain(arguments + ["--expect", baseline.path]) == 0)
        // ...and a malformed one is a usage error before anything runs.
        try "1.1.1: FAILED\n".write(to: baseline, atomically: true, encoding: .utf8)
        #expect(await WSSpec.runAsMain(arguments + ["--expect", baseline.path]) == 2)
        #expect(await WSSpec.runAsMain(arguments + ["--expect", root.appendingPathComponent("absent").path]) == 2)
        #expect(await WSSpec.runAsMain(arguments + ["--without", "compression"]) == 2)
        #expect(await WSSpec.runAsMain(arguments + ["--without", "subprotocol", "--subprotocol", "chat"]) == 2)
        #expect(await WSSpec.runAsMain(arguments + ["--shard", "4/3"]) == 2)
    }

    @Test func aFailureInTheBaselinePassesAndANewOneFails() async throws {
        let root = SampleRuns.directory()
        defer { try? FileManager.default.removeItem(at: root) }
        let cases = root.appendingPathComponent("cases.wsspec")
        try "case 300.1 \"an echo that does not match\"\n  send text \"a\"\n  expect text \"b\"\nend\n"
            .write(to: cases, atomically: true, encoding: .utf8)
        let baseline = root.appendingPathComponent("expect.txt")
        let arguments = [
            "run", "--sim", "--scenarios", cases.path, "--with-catalog", "--cases", "1.1.1,300.1", "--format", "",
            "--report-dir", root.appendingPathComponent("reports").path
        ]
        #expect(await WSSpec.runAsMain(arguments) == 1)
        try "# accepted\n300.1: FAILED  # a case of our own that fails on purpose\n".write(to: baseline, atomically: true, encoding: .utf8)
        #expect(await WSSpec.runAsMain(arguments + ["--expect", baseline.path]) == 0)
        try "# nothing accepted\n".write(to: baseline, atomically: true, encoding: .utf8)
        #expect(await WSSpec.runAsMain(arguments + ["--expect", baseline.path]) == 1)
    }
}

/// What GitHub Flavored Markdown (cmark-gfm's table extension and code spans, GFM spec 0.29) makes of a line, as
/// far as the summary's tests need: cells split at each `|` not preceded by a backslash, one backslash before a `|`
/// removed, and code spans opened and closed by backtick runs of the same length.
enum GFM {
    static func cells(_ row: String) -> [String] {
        var cells: [String] = []
        var current = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in row.unicodeScalars {
            if scalar == "|" && previous != "\\" {
                cells.append(String(current))
                current = String.UnicodeScalarView()
            } else if scalar == "|" {
                current.removeLast()
                current.append(scalar)
            } else {
                current.append(scalar)
            }
            previous = scalar
        }
        cells.append(String(current))
        // A row starts and ends with a pipe: the outer empties are not cells.
        return Array(cells.dropFirst().dropLast())
    }

    /// The text with every code span removed.
    static func outsideCodeSpans(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var runs: [(start: Int, length: Int)] = []
        var index = 0
        while index < scalars.count {
            if scalars[index] == "`" {
                let start = index
                while index < scalars.count && scalars[index] == "`" { index += 1 }
                runs.append((start, index - start))
            } else {
                index += 1
            }
        }
        var outside = String.UnicodeScalarView()
        var position = 0
        var runIndex = 0
        while runIndex < runs.count {
            let opener = runs[runIndex]
            guard let closer = runs[(runIndex + 1)...].firstIndex(where: { $0.length == opener.length }) else {
                runIndex += 1
                continue
            }
            outside.append(contentsOf: scalars[position..<opener.start])
            position = runs[closer].start + runs[closer].length
            runIndex = closer + 1
        }
        outside.append(contentsOf: scalars[position...])
        return String(outside)
    }
}
