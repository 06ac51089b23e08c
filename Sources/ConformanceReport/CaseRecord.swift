public import Scenario

/// A case result as reports keep it: the runner's `CaseResult` itself, one type from the runner to the reports.
/// The name stays for code written when reports kept a copy of their own.
public typealias CaseRecord = CaseResult

extension CaseResult {
    /// Plainly OK: OK behaviour, and a close that is OK or only recorded.
    public var isOK: Bool { verdict == .ok && [.ok, .informational].contains(closeVerdict) }
}
