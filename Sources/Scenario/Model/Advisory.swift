/// A SHOULD of the RFC that the peer did not follow, where the established grading (Autobahn|Testsuite's)
/// passes the case: it is shown on the case page and kept in the saved run, and fails the run only under
/// `--strict`. Findings that rest on a MUST are verdicts, never advisories.
public struct Advisory: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Where the rule is, e.g. `RFC 6455 §7.1.7`.
    public var rule: String
    /// What the peer did, in one sentence.
    public var finding: String

    public init(_ rule: String, _ finding: String) {
        self.rule = rule
        self.finding = finding
    }

    public var description: String { "\(finding) (\(rule): SHOULD)" }

    /// The peer failed the connection by closing TCP without a close frame.
    public static let droppedWithoutCloseFrame = Advisory(
        "RFC 6455 §7.1.7", "the peer failed the connection without sending a close frame first")
    /// The peer's close frame that failed the connection carried no status code.
    public static let failedWithoutCode = Advisory(
        "RFC 6455 §7.1.7", "the peer's close frame that failed the connection carries no status code")
}
