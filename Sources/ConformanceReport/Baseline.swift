public import Foundation
public import Scenario

/// The verdicts a project accepts (`wsspec run --expect FILE`), each with its reason, so that CI fails on what
/// is new and nothing else. One line an entry:
///
///     7.1.5: FAILED  # we answer 1002 mid-fragment, tracked in #123
///     6.4.3: NON-STRICT/WRONG CODE  # the close verdict too, when it matters
///
/// A verdict alone accepts any close verdict. Blank lines and lines starting with `#` are comments.
public struct Baseline: Sendable, Hashable {
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        public var id: CaseID
        public var verdict: Verdict
        /// `nil`: any close verdict.
        public var closeVerdict: CloseVerdict?
        public var reason: String
        /// Where the entry is written, for messages.
        public var line: Int

        public init(id: CaseID, verdict: Verdict, closeVerdict: CloseVerdict?, reason: String, line: Int = 0) {
            self.id = id
            self.verdict = verdict
            self.closeVerdict = closeVerdict
            self.reason = reason
            self.line = line
        }

        func matches(_ record: CaseRecord) -> Bool {
            record.id == id && record.verdict == verdict && (closeVerdict.map { $0 == record.closeVerdict } ?? true)
        }

        public var description: String {
            "\(id): \(verdict)\(closeVerdict.map { "/\($0)" } ?? "")  # \(reason)"
        }
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Reads a baseline file; any line it cannot read is an error naming the file and the line.
    public static func load(_ url: URL) throws(ParseError) -> Baseline {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ParseError(description: "cannot read the baseline \(url.path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ParseError(description: "\(url.path): not UTF-8 text")
        }
        return try parse(text, name: url.path)
    }

    public static func parse(_ text: String, name: String) throws(ParseError) -> Baseline {
        var entries: [Entry] = []
        var seen: [CaseID: Int] = [:]
        // Lines end at LF, CRLF or CR alike: a file written on Windows must not read as one long line.
        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = offset + 1
            func fail(_ message: String) -> ParseError { ParseError(description: "\(name):\(number): \(message)") }
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let hash = line.firstIndex(of: "#")
            let reason = hash.map { line[line.index(after: $0)...].trimmingCharacters(in: .whitespaces) } ?? ""
            let entryText = hash.map { line[..<$0] } ?? Substring(line)
            guard let colon = entryText.firstIndex(of: ":") else { throw fail("expected 'ID: VERDICT  # reason'") }
            guard let id = CaseID(parsing: entryText[..<colon].trimmingCharacters(in: .whitespaces)) else {
                throw fail("\(String(entryText[..<colon]).debugDescription) is not a case id")
            }
            let verdicts = entryText[entryText.index(after: colon)...].split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            guard (1...2).contains(verdicts.count), let verdict = Verdict(rawValue: verdicts[0]) else {
                throw fail("expected a verdict (\(Verdict.allCases.map(\.rawValue).joined(separator: ", "))), optionally /CLOSE-VERDICT")
            }
            var close: CloseVerdict?
            if verdicts.count == 2 {
                guard let value = CloseVerdict(rawValue: verdicts[1]) else {
                    throw fail(
                        "unknown close verdict \(verdicts[1].debugDescription) (\(CloseVerdict.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                close = value
            }
            guard !reason.isEmpty else { throw fail("say why \(id) is accepted, after '#'") }
            if let earlier = seen[id] { throw fail("\(id) is already listed on line \(earlier)") }
            seen[id] = number
            entries.append(Entry(id: id, verdict: verdict, closeVerdict: close, reason: String(reason), line: number))
        }
        return Baseline(entries: entries)
    }

    /// A baseline that accepts a run as it is: every case that is not plainly OK, with the run's own reason
    /// as a starting point for the project's.
    public init(accepting run: ConformanceRun) {
        entries = run.results.filter(Self.differs).map { record in
            let reason = record.reasons.first.map(Self.oneLine) ?? "accepted as found"
            return Entry(id: record.id, verdict: record.verdict, closeVerdict: record.closeVerdict, reason: "from the run: \(reason)")
        }
    }

    /// What differs from all-OK: a verdict other than OK or INFORMATIONAL, or a failed close.
    static func differs(_ record: CaseRecord) -> Bool {
        ![.ok, .informational].contains(record.verdict) || record.closeVerdict.isFailure
    }

    /// The file `--write-expect` writes.
    public func text(target: String) -> String {
        var lines = [
            "# wsspec baseline: the verdicts accepted for \(Self.oneLine(target)).",
            "# `wsspec run --expect FILE` exits 0 when every case that fails the run is listed here with its verdict,",
            "# 1 on anything new, and names the entries that no longer apply. Replace each reason with the project's own."
        ]
        lines += entries.map(\.description)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A run's results against the baseline.
    public struct Comparison: Sendable {
        /// Cases that fail the run and that no entry accepts: the run fails.
        public var unexpected: [CaseRecord] = []
        /// Cases that fail the run as an entry says.
        public var accepted: [(record: CaseRecord, entry: Entry)] = []
        /// Entries whose case ran and came out otherwise (fixed, or failing differently).
        public var stale: [(entry: Entry, record: CaseRecord)] = []

        public var passes: Bool { unexpected.isEmpty }
    }

    public func compare(_ run: ConformanceRun) -> Comparison {
        var comparison = Comparison()
        let byID = Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0) })
        for record in run.results {
            let entry = byID[record.id]
            if let entry, entry.matches(record) {
                if record.fails(strict: run.strict) { comparison.accepted.append((record, entry)) }
                continue
            }
            if let entry { comparison.stale.append((entry, record)) }
            if record.fails(strict: run.strict) { comparison.unexpected.append(record) }
        }
        return comparison
    }

    /// Peer text on one line: line breaks and control characters become spaces.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
            .trimmingCharacters(in: .whitespaces)
    }
}
