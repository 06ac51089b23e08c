import ArgumentParser
import ConformanceSuite
import Foundation
import Scenario

/// `wsspec list`: the catalog, as a table or as JSON.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the conformance cases (or a scenario file's): id, requirement level, expected duration, title, RFC sections.",
        discussion: """
            The expected duration is what a prompt, conforming server cannot shorten: the case's waits by design \
            (11.5.1's idle period, pauses between write segments, the server's own keepalive clock in 11.2-11.4) \
            and the message bytes its round trips send. The options about the server change it as they change a run.
            """)

    @OptionGroup(title: "Which cases")
    var source: CaseSourceOptions

    @OptionGroup(title: "What the server does (section 11 and 0.6)")
    var server: ServerBehaviourOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    enum Role: String, ExpressibleByArgument, CaseIterable {
        case server, client
    }

    @Option(help: "Whose cases: 'server' (wsspec run tests a server) or 'client' (serve-suite and run-client test a client).")
    var role = Role.server

    func validate() throws {
        if role == .client && !source.scenarioFiles.isEmpty {
            throw ValidationError("--role client lists the catalog's client-role cases; it takes no --scenarios")
        }
    }

    /// The cases to list: the source's, or the client-role catalog's under the same globs.
    private func cases() throws -> [ScenarioCase] {
        guard role == .client else { return try source.load() }
        let chosen = Catalog.clientRole.filter { source.selection.contains($0.id) }
        if chosen.isEmpty { throw ValidationError("no client-role case matches --cases \(source.cases ?? "*")") }
        return chosen
    }

    struct Entry: Encodable {
        var id: String
        var title: String
        var rfc: [String]
        var requirement: String
        var sends: String
        var expectation: String
        /// The case's waits by design, in seconds.
        var waitSeconds: Double
        /// The message bytes its round trips send.
        var loadBytes: Int
    }

    func run() throws {
        let scenarios = try cases()
        var parameters = RunParameters()
        parameters.apply(server)
        let timings = scenarios.map { $0.timing(parameters) }
        if json {
            let entries = zip(scenarios, timings).map { scenario, timing in
                Entry(
                    id: scenario.id.rawValue, title: scenario.title, rfc: scenario.rfcSections, requirement: scenario.requirement.rawValue,
                    sends: scenario.sends, expectation: scenario.expectation,
                    waitSeconds: timing.waiting.seconds,
                    loadBytes: timing.loadBytes)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Console.out(String(decoding: try encoder.encode(entries), as: UTF8.self))
            return
        }
        let idWidth = scenarios.map(\.id.rawValue.count).max() ?? 2
        let timeWidth = timings.map(\.summary.count).max() ?? 1
        for (scenario, timing) in zip(scenarios, timings) {
            let id = scenario.id.rawValue.padding(toLength: idWidth, withPad: " ", startingAt: 0)
            let level = scenario.requirement.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)
            let time = timing.summary.padding(toLength: timeWidth, withPad: " ", startingAt: 0)
            Console.out("\(id)  \(level)  \(time)  \(scenario.title)  [\(scenario.rfcSections.joined(separator: "; "))]")
        }
        let waiting = timings.reduce(Duration.zero) { $0 + $1.waiting }
        let load = timings.reduce(0) { $0 + $1.loadBytes }
        let tenths = (waiting.components.seconds * 10) + waiting.components.attoseconds / 100_000_000_000_000_000
        Console.out("\(scenarios.count) cases; waits by design \(tenths / 10).\(tenths % 10) s in all, round trips send \(load >> 20) MiB")
    }
}
