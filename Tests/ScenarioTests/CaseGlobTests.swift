import Scenario
import Testing

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

    /// A recursive matcher takes exponential time here and never finishes; the time limit makes that a failure.
    @Test(.timeLimit(.minutes(1)))
    func manyStarsCostLittle() {
        let hostile = String(repeating: "*", count: 2_000) + "x"
        let id: CaseID = "12.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17"
        #expect(!id.matches(glob: hostile))
        #expect(!id.matches(glob: String(repeating: "1*", count: 500) + "x"))
        #expect(id.matches(glob: String(repeating: "*", count: 2_000)))
    }
}
