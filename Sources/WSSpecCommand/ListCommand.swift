import ArgumentParser
import ConformanceSuite
import Foundation
import Scenario

/// `wsspec list`: the catalog, as a table or as JSON.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the conformance cases (or a scenario file's): id, title, RFC section, requirement level.")

    @OptionGroup(title: "Which cases")
    var source: CaseSourceOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    struct Entry: Encodable {
        var id: String
        var title: String
        var rfc: [String]
        var requirement: String
        var sends: String
        var expectation: String
    }

    func run() throws {
        let scenarios = try source.load()
        if json {
            let entries = scenarios.map { Entry(id: $0.id.rawValue, title: $0.title, rfc: $0.rfcSections, requirement: $0.requirement.rawValue,
                                                sends: $0.sends, expectation: $0.expectation) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Console.out(String(decoding: try encoder.encode(entries), as: UTF8.self))
            return
        }
        let idWidth = scenarios.map(\.id.rawValue.count).max() ?? 2
        for scenario in scenarios {
            let id = scenario.id.rawValue.padding(toLength: idWidth, withPad: " ", startingAt: 0)
            let level = scenario.requirement.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)
            Console.out("\(id)  \(level)  \(scenario.title)  [\(scenario.rfcSections.joined(separator: "; "))]")
        }
        Console.out("\(scenarios.count) cases")
    }
}
