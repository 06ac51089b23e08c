public import ArgumentParser

/// The `wsspec` command. `main()` maps errors to the documented exit codes: 0 nothing FAILED, 1 something
/// FAILED (or NON-STRICT under `--strict`), 2 usage errors and servers that cannot be reached.
public struct WSSpec: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "wsspec",
        abstract: "WebSocket (RFC 6455) conformance testing: run the suite, list it, serve the reference server, merge and compare reports.",
        version: WSSpec.version,
        subcommands: [
            RunCommand.self, RunClientCommand.self, ListCommand.self, ServeCommand.self, ServeSuiteCommand.self, ReportCommand.self, DiffCommand.self,
            ReplayCommand.self, FuzzCommand.self, ShrinkCommand.self
        ],
        defaultSubcommand: nil
    )

    /// The version `--version` prints and capsules name.
    public static let version = "0.1.0"

    public init() {}

    /// Runs the command line `arguments` (without the program name) and returns the exit status.
    public static func runAsMain(_ arguments: [String]) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let failure as RunFailure {
            Console.error(failure.message)
            return failure.status
        } catch {
            let status = exitCode(for: error).rawValue
            let message = fullMessage(for: error)
            if !message.isEmpty {
                if status == 0 { Console.out(message) } else { Console.error(message) }
            }
            // ArgumentParser uses 64 (EX_USAGE) for usage errors; wsspec documents 2 for them.
            return status == ExitCode.validationFailure.rawValue ? 2 : status
        }
    }
}

/// An error that ends the command with a given status and a message for the user.
struct RunFailure: Error {
    var status: Int32
    var message: String

    static func usage(_ message: String) -> RunFailure { RunFailure(status: 2, message: "error: \(message)") }
    static func unreachable(_ message: String) -> RunFailure { RunFailure(status: 2, message: "error: \(message)") }
}
