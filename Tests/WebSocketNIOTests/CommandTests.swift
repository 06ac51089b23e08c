import Foundation
import ReferenceServer
import Testing
import WebSocketNIO
import WebSocketServer

@testable import WSSpecCommand

extension LiveTests {
    @Suite("The wsspec command: exit codes and reports")
    struct CommandTests {
        static func run(_ arguments: [String]) async -> Int32 { await WSSpec.runAsMain(arguments) }

        @Test func builtInRunPassesAndWritesReports() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let status = await Self.run(["run", "--cases", "1.1.*,2.1,7.1.1", "--report-dir", directory.path, "--seed", "7"])
            #expect(status == 0)
            let index =
                try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("index.json")))
                as? [String: [String: [String: Any]]]
            let cases = try #require(index?["wsspec-reference"])
            #expect(cases.count == 10)
            #expect(cases["2.1"]?["behavior"] as? String == "OK")
            #expect(cases["7.1.1"]?["remoteCloseCode"] as? Int == 1000)
            let caseFile = try #require(cases["7.1.1"]?["reportfile"] as? String)
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent(caseFile))) as? [String: Any]
            #expect(report?["wasClean"] as? Bool == true)
            #expect((report?["httpResponse"] as? String)?.hasPrefix("HTTP/1.1 101") == true)
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("junit.xml").path))
        }

        @Test func aFailingServerExitsWithOne() async throws {
            var configuration = EchoServerConfiguration()
            configuration.connection.autoPong = false // Pings go unanswered: 2.x FAILS.
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let status = try await withServer({ try await SessionServer.referenceServer(configuration) }) { server in
                await Self.run(["run", server.url().description, "--cases", "1.1.1,2.1", "--report-dir", directory.path])
            }
            #expect(status == 1)
            let junit = try String(contentsOf: directory.appendingPathComponent("junit.xml"), encoding: .utf8)
            #expect(junit.contains("<failure type=\"FAILED\""))
        }

        @Test func aRefusedConnectionExitsWithTwo() async throws {
            // A port that was just free: bind, note it, close.
            let server = try await SessionServer.referenceServer(EchoServerConfiguration())
            let url = server.url().description
            await server.stop()
            #expect(await Self.run(["run", url, "--cases", "1.1.1", "--format", ""]) == 2)
        }

        /// `serve-suite --deadline`: the server ends by itself; with no client having run a case that is not a
        /// success (it once exited 0 here), and it writes no report for nobody.
        @Test func serveSuiteWithNoClientBeforeItsDeadlineExitsWithTwo() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let clock = ContinuousClock()
            let began = clock.now
            #expect(await Self.run(["serve-suite", "--port", "0", "--deadline", "1s", "--report-dir", directory.path]) == 2)
            #expect(clock.now - began < .seconds(10))
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("index.html").path))
        }

        /// `run-client --sim`: the built-in client in-process, with compression cases, and its reports under the agent.
        @Test func theBuiltInClientRunsInProcess() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let status = await Self.run([
                "run-client", "--sim", "--cases", "0.9.*,1.1.*,13.2.1", "--agent", "built-in",
                "--report-dir", directory.path, "--format", "json"
            ])
            #expect(status == 0)
            let index =
                try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("index.json")))
                as? [String: [String: [String: Any]]]
            let cases = try #require(index?["built-in"])
            #expect(cases.count == 6 + 8 + 1)
            #expect(cases["13.2.1"]?["behavior"] as? String == "OK")
        }

        /// `run-client --exec`: a command that never connects is a usage error (2), named with its output, whether it
        /// exits or has to be stopped at its deadline; the case URL reaches it as {url} and as WSSPEC_URL.
        @Test func aClientCommandThatNeverConnectsExitsWithTwo() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let status = await Self.run([
                "run-client", "--exec", #"echo "{url} $WSSPEC_URL $WSSPEC_CASE"; exit 3"#, "--cases", "1.1.1",
                "--report-dir", directory.path
            ])
            #expect(status == 2)
            let log = try String(contentsOf: directory.appendingPathComponent("client-logs/1.1.1.log"), encoding: .utf8)
            let words = log.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            #expect(
                words.count == 3 && words[0] == words[1] && words[0].hasPrefix("ws://127.0.0.1:") && words[0].contains("/runCase/1.1.1/client/"),
                "\(log)")
            #expect(words.last == "1.1.1")

            let clock = ContinuousClock()
            let began = clock.now
            let stuck = await Self.run([
                "run-client", "--exec", "sleep 30 & sleep 30", "--cases", "1.1.1", "--case-timeout", "1s",
                "--report-dir", directory.path
            ])
            #expect(stuck == 2)
            #expect(clock.now - began < .seconds(10), "the stuck client was not stopped at its deadline")
        }

        @Test func somethingThatIsNotAWebSocketEndpointExitsWithTwo() async throws {
            let status = try await withServer({ try await SessionServer.start { HostileBehaviour.answersGarbage.makeSession() } }) { server in
                await Self.run(["run", server.url().description, "--cases", "1.1.1", "--format", ""])
            }
            #expect(status == 2)
        }

        @Test(arguments: [
            ["run", "http://127.0.0.1/"],
            ["run", "ws://127.0.0.1:99999/"],
            ["run", "--format", "pdf"],
            ["run", "--jobs", "0"],
            ["run", "--cases", "99.*"],
            ["run", "--seeds", "3"],
            ["run", "ws://127.0.0.1:1/", "--sim"],
            ["run", "--header", "no colon"],
            ["run", "--header", "X-A:b\rX-Injected: 1"],
            ["run", "--origin", "http://127.0.0.1\r\nX-Injected: 1"],
            ["run", "--subprotocol", "chat\r\nX-Injected: 1"],
            ["run", "--subprotocol", "two words"],
            ["serve", "--subprotocol", "chat\nX: 1"],
            ["run", "--shard", "0/2"],
            ["run", "--without", "compression"],
            ["run", "--expect", "/nonexistent/expect.txt"],
            ["run", "--case-timeout", "soon"],
            ["run", "--scenarios", "/nonexistent/cases.wsspec"],
            ["run", "--with-catalog"],
            ["list", "--scenarios", "/nonexistent/cases.wsspec"],
            ["frobnicate"],
            ["run-client"],
            ["run-client", "--exec", " "],
            ["run-client", "--exec", "true", "--agent", "a b"],
            ["run-client", "--exec", "true", "--cases", "99.*"],
            ["run-client", "--exec", "true", "--jobs", "0"],
            ["run-client", "--exec", "true", "--sim"]
        ])
        func usageErrorsExitWithTwo(arguments: [String]) async {
            #expect(await Self.run(arguments) == 2)
        }

        @Test func simulatedRunsSweepSeeds() async {
            #expect(await Self.run(["run", "--sim", "--cases", "1.*,5.*", "--seeds", "3", "--format", ""]) == 0)
        }

        @Test func runsTheCasesOfScenarioFiles() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let files = ["--scenarios", Fixtures.path("scenarios/echo-basics.wsspec"), "--scenarios", Fixtures.path("scenarios/fail-fast.wsspec")]
            #expect(await Self.run(["run"] + files + ["--cases", "100.*,101.1,1.1.1", "--report-dir", directory.path, "--format", "json"]) == 0)
            let index =
                try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("index.json")))
                as? [String: [String: [String: Any]]]
            // Only the files' cases: 1.1.1 is the catalog's, which --scenarios leaves out unless --with-catalog.
            #expect(index?["wsspec-reference"].map { Set($0.keys) } == ["100.1", "100.2", "100.3", "101.1"])
            #expect(await Self.run(["list"] + files + ["--with-catalog", "--cases", "1.1.1,100.1"]) == 0)
        }

        @Test(
            "a scenario file that is malformed or redefines a catalog case is a usage error",
            arguments: [
                "case 1.1.1 \"mine\"\n  send text \"a\"\n  expect text \"a\"\nend\n",
                "case 200.1 \"x\"\n  wait soon\nend\n",
                "# no cases\n"
            ])
        func badScenarioFilesExitWithTwo(source: String) async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = directory.appendingPathComponent("cases.wsspec")
            try source.write(to: file, atomically: true, encoding: .utf8)
            #expect(await Self.run(["run", "--scenarios", file.path, "--with-catalog", "--format", ""]) == 2)
        }

        @Test func listsTheCatalog() async {
            #expect(await Self.run(["list", "--cases", "1.1.*", "--json"]) == 0)
            #expect(await Self.run(["list"]) == 0)
        }

        @Test func runsOverTLSWithTheTestCA() async throws {
            let tls = try TLSSettings.serverContext(
                certificateChain: Fixtures.path("tls/server.pem"),
                privateKey: Fixtures.path("tls/server-key.pem"))
            let (trusted, untrusted) = try await withServer({ try await SessionServer.referenceServer(EchoServerConfiguration(), tls: tls) }) {
                server in
                let url = server.url(secure: true).description
                return (
                    await Self.run(["run", url, "--cases", "1.1.1", "--ca-file", Fixtures.path("tls/ca.pem"), "--format", ""]),
                    await Self.run(["run", url, "--cases", "1.1.1", "--format", ""])
                )
            }
            #expect(trusted == 0)
            #expect(untrusted == 2)
        }
    }
}

@Suite("Peer text in the terminal and in CI logs")
struct InertConsoleTextTests {
    @Test func controlCharactersAndWorkflowCommandsAreDefused() {
        let hostile = "400 x\u{1B}]0;pwned\u{07}\n::error::all passed\r\u{9B}2J"
        let shown = Console.inert(hostile)
        #expect(shown == "400 x\\u{1B}]0;pwned\\u{7}\n\\::error::all passed\\u{D}\\u{9B}2J")
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(Console.inert("  ::warning::x") == "  \\::warning::x")
        #expect(Console.inert("plain text: κόσμε, tabs\tstay") == "plain text: κόσμε, tabs\tstay")
        #expect(Console.inert("reason ##[error]x ###[y]") == "reason ##\\[error]x ###\\[y]")
    }

    /// Against the runner's own rules (actions/runner, `ActionCommand.TryParseV2` and `TryParse`, and
    /// `ProcessInvoker`'s `ReadLine`): whatever the peer sends, no line wsspec prints is a workflow command. Each
    /// input is one the runner does take as a command when printed as it is.
    @Test(arguments: [
        "::error::all passed",
        "\u{A0}::error::no-break space first", // a reason phrase with a bare LF and a no-break space once got through
        "reason\n\u{A0}::add-mask::PASS",
        "\u{2003}\u{3000}\u{202F}\u{205F}\u{1680}::warning::wide spaces",
        "\u{2028}::error::line separator",
        "\u{85}::error::next line",
        "\u{B}\u{C}::error::vertical tab and form feed",
        "ok\r::error::a carriage return starts a line for the runner",
        "ok\r\n::set-output name=x::1",
        "HTTP/1.1 400 ##[error]anywhere on the line",
        "close reason ###[warning]x",
        "##[add-matcher]x.json",
        "::stop-commands::token"
    ])
    func noPrintedLineIsAWorkflowCommand(_ peerText: String) {
        #expect(!GitHubActionsRunner.commandLines(peerText).isEmpty, "the runner takes this as a command when printed as it is")
        for message in [peerText, "the server said: \(peerText)", "  \(peerText)"] {
            #expect(GitHubActionsRunner.commandLines(Console.inert(message)).isEmpty, "\(Console.inert(message).debugDescription)")
        }
    }
}

/// How the GitHub Actions runner reads a step's output (actions/runner: `ProcessInvoker` reads lines with .NET's
/// `StreamReader.ReadLine`, which ends a line at LF, CR or CRLF; `ActionCommand.TryParseV2` trims leading
/// `char.IsWhiteSpace` and looks for `::`; the legacy `TryParse` looks for `##[` anywhere).
enum GitHubActionsRunner {
    static func commandLines(_ output: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var afterCR = false
        for scalar in output.unicodeScalars {
            if scalar == "\n" && afterCR {
                afterCR = false
                continue
            }
            afterCR = scalar == "\r"
            if scalar == "\n" || scalar == "\r" {
                lines.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        lines.append(String(current))
        return lines.filter { line in
            let trimmed = String(String.UnicodeScalarView(line.unicodeScalars.drop { Console.isRunnerWhiteSpace($0) }))
            return trimmed.hasPrefix("::") || line.contains("##[")
        }
    }
}
