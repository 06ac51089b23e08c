import Foundation
import Testing

@testable import WSSpecCommand

#if canImport(Glibc)
    import Glibc
#endif

extension LiveTests {
    /// `run-client --exec` starts other people's programs: they get our standard streams and nothing else, they end
    /// with their case (whatever they started included) and with us when we are interrupted, and their logs cannot
    /// be turned into writes elsewhere.
    @Suite("Clients under test are contained")
    struct ClientContainmentTests {
        static func run(_ arguments: [String]) async -> Int32 { await WSSpec.runAsMain(arguments) }

        /// Whether process `pid` has ended (gone, or a zombie waiting for a parent that is not us).
        static func isGone(_ pid: pid_t) -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            // The state follows the command name, which is in parentheses.
            return stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).first == "Z"
        }

        static func waitUntilGone(_ pid: pid_t, within limit: Duration = .seconds(5)) async -> Bool {
            let end = ContinuousClock.now + limit
            while ContinuousClock.now < end {
                if isGone(pid) { return true }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return isGone(pid)
        }

        static func pid(in file: URL) -> pid_t? {
            (try? String(contentsOf: file, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }

        @Test func aClientInheritsOnlyTheStandardStreams() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("pid")
            // The client becomes `sleep` (exec keeps its descriptors), and the test lists them while it sleeps.
            async let status = Self.run([
                "run-client", "--exec", "echo $$ > \(file.path); exec sleep 3", "--cases", "1.1.1",
                "--case-timeout", "2s", "--report-dir", directory.path
            ])
            var descriptors: [Int] = []
            let end = ContinuousClock.now + .seconds(10)
            while descriptors.isEmpty && ContinuousClock.now < end {
                try? await Task.sleep(for: .milliseconds(20))
                if let pid = Self.pid(in: file),
                    (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("sleep") == true
                {
                    // What the client inherited, not what `sleep` opens for a moment as it starts (the loader and
                    // locale files, each briefly descriptor 3; seen once on a loaded machine): read once it has settled.
                    try? await Task.sleep(for: .milliseconds(300))
                    let listed = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
                    descriptors = listed.compactMap { Int($0) }
                }
            }
            #expect(await status == 2)
            #expect(descriptors.sorted() == [0, 1, 2], "the client inherited \(descriptors)")
        }

        @Test func whatAClientStartedEndsWithItsCase() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("background")
            let status = await Self.run([
                "run-client", "--exec", "sleep 60 & echo $! > \(file.path); exit 1", "--cases", "1.1.1",
                "--report-dir", directory.path
            ])
            #expect(status == 2)
            let background = try #require(Self.pid(in: file))
            #expect(await Self.waitUntilGone(background), "the client's background process outlived its case")
            #expect(ChildProcessRegistry.running.isEmpty)
        }

        @Test func aLogIsNeverWrittenThroughALink() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let logs = directory.appendingPathComponent("client-logs")
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            let victim = directory.appendingPathComponent("victim")
            try Data("keep me".utf8).write(to: victim)
            try FileManager.default.createSymbolicLink(at: logs.appendingPathComponent("1.1.1.log"), withDestinationURL: victim)
            _ = await Self.run(["run-client", "--exec", "echo written; exit 1", "--cases", "1.1.1", "--report-dir", directory.path])
            #expect(try String(contentsOf: victim, encoding: .utf8) == "keep me")
            let log = logs.appendingPathComponent("1.1.1.log")
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: log.path)) == nil, "the log is a file of its own")
            #expect(try String(contentsOf: log, encoding: .utf8) == "written\n")
        }

        @Test func theCommandLineStaysOutOfTheReports() async throws {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            _ = await Self.run([
                "run-client", "--exec", "true --token=s3cr3t-value {url}", "--cases", "1.1.1", "--report-dir", directory.path,
                "--format", "json,html,junit,markdown"
            ])
            let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            for file in files where !file.hasDirectoryPath && file.pathExtension != "log" {
                let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
                #expect(!text.contains("s3cr3t"), "\(file.lastPathComponent) holds the command's arguments")
            }
            #expect(RunClientCommand.program(of: "API_KEY=x client.py") == "(a command with environment assignments)")
            #expect(RunClientCommand.program(of: "  python3 c.py {url}") == "python3")
        }

        /// Ctrl-C (or a CI runner's SIGTERM) ends the client's whole process group before wsspec goes, so that it is
        /// not orphaned holding the port. Runs the wsspec executable, since the signal ends the process.
        @Test(arguments: [SIGINT, SIGTERM])
        func anInterruptEndsTheClientToo(signal: Int32) async throws {
            let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("wsspec")
            try #require(FileManager.default.isExecutableFile(atPath: binary.path), "the wsspec executable is built beside the tests")
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("client")
            let process = Process()
            process.executableURL = binary
            process.arguments = [
                "run-client", "--exec", "sleep 60 & echo $$ $! > \(file.path); wait", "--cases", "1.1.1",
                "--report-dir", directory.path
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let end = ContinuousClock.now + .seconds(20)
            var pids: [pid_t] = []
            while pids.count < 2 && ContinuousClock.now < end {
                try? await Task.sleep(for: .milliseconds(20))
                pids = ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: " ").compactMap {
                    pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
                }
            }
            try #require(pids.count == 2, "the client started")
            kill(process.processIdentifier, signal)
            let exitBy = ContinuousClock.now + .seconds(10)
            while process.isRunning && ContinuousClock.now < exitBy { try? await Task.sleep(for: .milliseconds(20)) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                Issue.record("wsspec did not end within 10 s of the signal")
                while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
            }
            // Not `waitUntilExit()`: Foundation leaks a weak reference there, which LeakSanitizer reports.
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
            for pid in pids { #expect(await Self.waitUntilGone(pid), "process \(pid) of the client outlived wsspec") }
        }
    }
}
