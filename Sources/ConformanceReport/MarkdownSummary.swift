/// `summary.md`: a short summary for a pull request or GitHub's step summary: per agent, the outcome, the
/// counts, and the cases that fail the run. Every text that is not ours (agent names, targets, titles from scenario
/// files, reasons that quote the peer) goes into a code span, the one place where GitHub Flavored Markdown and
/// GitHub's own rendering do nothing: no emphasis, link, HTML or autolink (cmark-gfm), no @mention, #reference or
/// commit link (GitHub skips `<code>`). Backslash escapes would not do: `\@user` still mentions (docs/decisions.md).
enum MarkdownSummary {
    /// More rows than this in one table help nobody in a pull request; the HTML report has them all.
    static let rowLimit = 100
    /// Longer texts are cut (on a character boundary): a summary is read at a glance.
    static let textLimit = 200

    static func document(_ runs: [ConformanceRun]) -> String {
        var lines: [String] = []
        for run in runs {
            let failures = run.failures
            lines.append("### wsspec: \(code(run.agent)) \(failures.isEmpty ? "PASS" : "FAIL")")
            lines.append("")
            let counts = run.counts.filter { $0.count > 0 }.map { "\($0.count) \($0.verdict)" }.joined(separator: ", ")
            let closes = run.closeFailureCount
            lines.append(
                "\(run.results.count) cases against \(code(run.target)) in \(run.duration.secondsText) s: \(counts)"
                    + (closes > 0 ? "; \(closes) failed closing handshakes" : "") + ".")
            if let shard = run.shard { lines.append("This is shard \(shard) of the selection.") }
            if let without = run.without, !without.isEmpty {
                lines.append("Declared not implemented: \(without.map(\.rawValue).joined(separator: ", ")).")
            }
            let crossTalk = run.results.count { !$0.crossTalkFrom.isEmpty }
            if crossTalk > 0 {
                lines.append(
                    "**Cross-talk:** \(crossTalk) case\(crossTalk == 1 ? "" : "s") received messages that other cases sent: the server "
                        + "relays messages between connections. Run with `--jobs 1` to test it one connection at a time.")
            }
            lines.append("")
            guard !failures.isEmpty else { continue }
            lines.append("\(failures.count) case\(failures.count == 1 ? "" : "s") fail the run\(run.strict ? " (--strict)" : ""):")
            lines.append("")
            lines.append("| Case | Verdict | Close | Requirement | Title | Why |")
            lines.append("| --- | --- | --- | --- | --- | --- |")
            for record in failures.prefix(rowLimit) {
                let why = record.reasons.first.map { code($0, inTable: true) } ?? ""
                lines.append(
                    "| \(record.id) | \(record.verdict) | \(record.closeVerdict) | \(record.requirement) | "
                        + "\(code(record.title, inTable: true)) | \(why) |")
            }
            if failures.count > rowLimit { lines += ["", "…and \(failures.count - rowLimit) more; the HTML report lists them all."] }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// `text` as a code span that shows it as written, on one line, whatever it holds:
    /// - line breaks and hidden characters become visible `\u{…}` escapes (a span must stay on its line);
    /// - the fence is one backtick longer than the longest run of backticks inside, and one space pads each side
    ///   (always stripped by the renderer, so text that starts or ends with a backtick or a space stays whole);
    /// - in a table every `|` is written `\|`: the table splits cells before it sees code spans, and takes one
    ///   backslash away again;
    /// - empty or blank text is a placeholder of ours in italics, since an empty span is no span.
    static func code(_ text: String, inTable: Bool = false) -> String {
        var shown = PeerText.visible(text)
        if shown.count > textLimit { shown = String(shown.prefix(textLimit)) + "…" }
        if shown.isEmpty { return "*(empty)*" }
        if shown.allSatisfy({ $0 == " " }) { return "*(\(shown.count) space\(shown.count == 1 ? "" : "s"))*" }
        // Scalar by scalar, as the renderer reads bytes: a combining mark after a backtick or a bar must not hide it.
        var longest = 0, run = 0
        var escaped = String.UnicodeScalarView()
        for scalar in shown.unicodeScalars {
            run = scalar == "`" ? run + 1 : 0
            longest = max(longest, run)
            if inTable && scalar == "|" { escaped.append("\\") }
            escaped.append(scalar)
        }
        shown = String(escaped)
        let fence = String(repeating: "`", count: longest + 1)
        return fence + " " + shown + " " + fence
    }
}
