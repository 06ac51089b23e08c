import Testing

@testable import Scenario

@Suite("Case globs")
struct CaseGlobTests {
    @Test(arguments: [
        ("*", "1.1.1", true), ("1.*", "1.1.1", true), ("1.*", "10.1", false), ("6.4.*", "6.4.12", true),
        ("*.1", "7.1", true), ("*.1", "7.1.2", false), ("1.1.1", "1.1.1", true), ("1.1.1", "1.1.10", false),
        ("**1", "1", true), ("1*1", "11", true), ("1*1", "1", false), ("*7*", "12.7.3", true), ("", "1", false),
        ("1.*.*", "1.2", false), ("1.*.*", "1.2.3", true), ("*1*2*", "31.425", true), ("*1*2", "31.425", false)
    ])
    func globsMatchAsDocumented(_ glob: String, _ id: String, _ expected: Bool) {
        #expect(CaseID(stringLiteral: id).matches(glob: glob) == expected)
    }

    /// A recursive matcher takes exponential time here and never finishes. The matcher's steps are counted (work, not
    /// time): at most one per character of the id for each place a star can resume from, pattern × id in all.
    @Test func manyStarsCostLittle() {
        let id: CaseID = "12.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17"
        let text = Array(id.rawValue.utf8)[...]
        for (glob, expected) in [
            (String(repeating: "*", count: 2_000) + "x", false), (String(repeating: "1*", count: 500) + "x", false),
            (String(repeating: "*", count: 2_000), true)
        ] {
            var steps = 0
            #expect(CaseID.match(Array(glob.utf8)[...], text, steps: &steps) == expected)
            #expect(id.matches(glob: glob) == expected)
            #expect(steps <= (glob.utf8.count + 1) * (text.count + 1), "\(steps) steps for a glob of \(glob.utf8.count)")
        }
    }
}
