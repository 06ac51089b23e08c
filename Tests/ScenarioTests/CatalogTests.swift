import ConformanceSuite
import Foundation
import Scenario
import Testing

@Suite("The catalog")
struct CatalogTests {
    /// One line per case: id, requirement level, title. Kept in `Fixtures/catalog.txt` so that every change
    /// to the catalog shows up in review.
    static var renderedList: String {
        Catalog.all.map { "\($0.id)\t\($0.requirement)\t\($0.title)" }.joined(separator: "\n") + "\n"
    }

    @Test func matchesTheGoldenList() throws {
        let url = Fixtures.url("catalog.txt")
        if ProcessInfo.processInfo.environment["WSSPEC_RECORD_GOLDEN"] == "1" {
            try Self.renderedList.write(to: url, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        let goldenLines = golden.split(separator: "\n"), renderedLines = Self.renderedList.split(separator: "\n")
        for (index, (expected, actual)) in zip(goldenLines, renderedLines).enumerated() where expected != actual {
            let message =
                "line \(index + 1) of Fixtures/catalog.txt: \(expected.debugDescription) != \(actual.debugDescription) "
                + "(rerun with WSSPEC_RECORD_GOLDEN=1 if the change is meant)"
            Issue.record(Comment(rawValue: message))
            break
        }
        #expect(goldenLines.count == renderedLines.count, "rerun with WSSPEC_RECORD_GOLDEN=1 if the change is meant")
    }

    @Test func idsAreUniqueAndOrdered() {
        let ids = Catalog.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids == ids.sorted())
    }

    @Test func everyCaseExplainsItself() {
        for scenario in Catalog.all {
            #expect(!scenario.title.isEmpty && !scenario.sends.isEmpty && !scenario.expectation.isEmpty, "\(scenario.id)")
            #expect(!scenario.rfcSections.isEmpty, "\(scenario.id)")
        }
    }

    @Test(
        "each section has its cases",
        arguments: [
            ("0", 30), ("1", 16), ("2", 11), ("3", 7), ("4", 10), ("5", 20), ("6", 140), ("7", 38), ("9", 54), ("10", 1), ("11", 8),
            ("12", 90), ("13", 126)
        ])
    func sectionSizes(section: String, atLeast minimum: Int) {
        let count = Catalog.all.filter { $0.id.components.first == Int(section) }.count
        #expect(count >= minimum, "section \(section) has \(count) cases")
    }

    @Test func selectionsUseGlobs() {
        let selected = Catalog.cases(CaseSelection(cases: "1.*, 6.4.*", exclude: "1.2.*"))
        #expect(selected.map(\.id.rawValue) == (1...8).map { "1.1.\($0)" as String } + (1...4).map { "6.4.\($0)" as String })
        #expect(CaseID(parsing: "1.10")! > CaseID(parsing: "1.9")!)
        #expect(CaseID(parsing: "6.x") == nil && CaseID(parsing: "") == nil && CaseID(parsing: "1..2") == nil)
    }

    /// The 6.x sequences' validity comes from our validator; Python's codec (the Kuhn fixture) must agree
    /// for every sequence both contain.
    @Test func utf8SequenceVerdictsAgreeWithThePythonOracle() throws {
        let data = try Data(contentsOf: Fixtures.url("utf8/kuhn-stress-test.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let vectors = try #require(json["vectors"] as? [[String: Any]])
        var oracle: [String: Bool] = [:]
        for vector in vectors {
            if let hex = vector["hex"] as? String, let expect = vector["expect"] as? String { oracle[hex] = expect == "valid" }
        }
        var compared = 0
        for scenario in Catalog.all
        where scenario.id.components.count == 3 && scenario.id.components[0] == 6
            && scenario.id.components[1] >= 5
        {
            let hex = String(scenario.title.split(separator: "0x").last ?? "")
            guard let valid = oracle[hex] else { continue }
            compared += 1
            #expect(scenario.checks.contains(.invalidUTF8) == !valid, "\(scenario.id) 0x\(hex)")
        }
        #expect(compared >= 60)
    }
}
