/// `summary.md`: a short summary for a pull request or GitHub's step summary: per agent, the outcome, the
/// counts, and the cases that fail the run. Peer text is escaped so that it renders as text (no markup, no
/// HTML, no mentions) and stays on its line.
enum MarkdownSummary {
    /// More rows than this in one table help nobody in a pull request; the HTML report has them all.
    static let rowLimit = 100

    static func document(_ runs: [ConformanceRun]) -> String {
        var lines: [String] = []
        for run in runs {
            let failures = run.failures
            lines.append("### wsspec: \(escape(run.agent)) \(failures.isEmpty ? "PASS" : "FAIL")")
            lines.append("")
            let counts = run.counts.filter { $0.count > 0 }.map { "\($0.count) \($0.verdict)" }.joined(separator: ", ")
            let closes = run.closeFailureCount
            lines.append("\(run.results.count) cases against \(escape(run.target)) in \(run.duration.secondsText) s: \(counts)"
                         + (closes > 0 ? "; \(closes) failed closing handshakes" : "") + ".")
            if let shard = run.shard { lines.append("This is shard \(shard) of the selection.") }
            if let without = run.without, !without.isEmpty {
                lines.append("Declared not implemented: \(without.map(\.rawValue).joined(separator: ", ")).")
            }
            lines.append("")
            guard !failures.isEmpty else { continue }
            lines.append("\(failures.count) case\(failures.count == 1 ? "" : "s") fail the run\(run.strict ? " (--strict)" : ""):")
            lines.append("")
            lines.append("| Case | Verdict | Close | Requirement | Title | Why |")
            lines.append("| --- | --- | --- | --- | --- | --- |")
            for record in failures.prefix(rowLimit) {
                let why = record.reasons.first.map { escape(String($0.prefix(200))) } ?? ""
                lines.append("| \(record.id) | \(record.verdict) | \(record.closeVerdict) | \(record.requirement) | \(escape(record.title)) | \(why) |")
            }
            if failures.count > rowLimit { lines += ["", "…and \(failures.count - rowLimit) more; the HTML report lists them all."] }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// Text that Markdown shows as written, mid-line: what could start emphasis, code, a link or image, a
    /// table cell, strikethrough, a mention or math is escaped with a backslash, `<` and `&` as entities (no HTML), control characters as spaces (one line).
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case _ where scalar.properties.generalCategory == .control: out += " "
            case _ where scalar.isASCII && "\\`*_[]!|~@$".unicodeScalars.contains(scalar):
                out += "\\" + String(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
