import Foundation
import Scenario

/// The static HTML report: `index.html` (summary per agent and a matrix of cases by section, one column
/// per agent, with filters and search) and a page per case and agent under `cases/`. No network access
/// is needed to read it.
enum HTMLReport {
    static let sectionNames: [Int: String] = [
        0: "Opening handshake", 1: "Framing", 2: "Pings and pongs", 3: "Reserved bits", 4: "Opcodes",
        5: "Fragmentation", 6: "UTF-8 handling", 7: "Close handling", 9: "Limits and performance",
        10: "Miscellaneous", 11: "Keepalive and timeouts", 12: "permessage-deflate", 13: "permessage-deflate parameters",
    ]

    static func casePagePath(agent: String, id: CaseID) -> String {
        "cases/\(AutobahnJSON.safeFileName(agent))_\(id.rawValue.replacingOccurrences(of: ".", with: "_")).html"
    }

    // MARK: index.html

    static func index(_ runs: [ConformanceRun]) -> String {
        var html = HTMLAssets.head(title: "wsspec conformance report")
        html += "<h1>wsspec conformance report</h1>\n<table class=\"summary\"><thead><tr><th>Agent</th><th>Target</th><th>Date</th>"
            + "<th>wsspec</th><th>Duration</th><th>Seed</th>"
        html += Verdict.allCases.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>\n"
        let dateFormat = ISO8601DateFormatter()
        for run in runs {
            html += "<tr><td>\(HTMLText.escape(run.agent))</td><td>\(HTMLText.escape(run.target))</td>"
                + "<td>\(dateFormat.string(from: run.startedAt))</td><td>\(HTMLText.escape(run.version))</td>"
                + "<td>\(run.duration.secondsText) s</td><td>\(run.seed)</td>"
            html += run.counts.map { "<td class=\"v-\($0.verdict.rawValue)\">\($0.count)</td>" }.joined() + "</tr>\n"
        }
        html += "</tbody></table>\n"

        var ids: [CaseID] = []
        var byAgent: [String: [CaseID: CaseRecord]] = [:]
        for run in runs {
            for record in run.results {
                if byAgent[run.agent]?[record.id] == nil && !ids.contains(record.id) { ids.append(record.id) }
                byAgent[run.agent, default: [:]][record.id] = record
            }
        }
        ids.sort()
        let sections = Array(Set(ids.map(\.section))).sorted()

        html += "<div class=\"filters\"><span>Show:</span>"
        for verdict in Verdict.allCases {
            html += "<label class=\"badge v-\(verdict.rawValue)\"><input type=\"checkbox\" data-verdict=\"\(verdict.rawValue)\" checked> \(verdict)</label>"
        }
        html += "<label>Section <select id=\"section\"><option value=\"\">all</option>"
        for section in sections {
            html += "<option value=\"\(section)\">\(section) \(HTMLText.escape(sectionNames[section] ?? ""))</option>"
        }
        html += "</select></label><label>Search <input id=\"search\" type=\"search\" placeholder=\"id or title\"></label></div>\n"

        html += "<table class=\"matrix\"><thead><tr><th>Case</th><th>Title</th>"
            + runs.map { "<th>\(HTMLText.escape($0.agent))</th>" }.joined() + "</tr></thead>\n"
        for section in sections {
            html += "<tbody data-section=\"\(section)\"><tr class=\"section\"><th colspan=\"\(runs.count + 2)\">"
                + "\(section) \(HTMLText.escape(sectionNames[section] ?? "Section \(section)"))</th></tr>\n"
            for id in ids where id.section == section {
                let records = runs.map { byAgent[$0.agent]?[id] }
                let title = records.compactMap { $0?.title }.first ?? ""
                let verdicts = Set(records.compactMap { $0?.verdict.rawValue }).sorted().joined(separator: " ")
                html += "<tr class=\"case\" data-verdicts=\"\(verdicts)\" data-search=\"\(HTMLText.escape("\(id) \(title)".lowercased()))\">"
                    + "<td class=\"id\">\(id)</td><td>\(HTMLText.escape(title))</td>"
                for (run, record) in zip(runs, records) { html += cell(record, agent: run.agent) }
                html += "</tr>\n"
            }
            html += "</tbody>\n"
        }
        html += "</table>\n<p class=\"muted\">Behaviour verdict, then the peer's close code and the case's duration. "
            + "Each cell links to the case's page.</p>\n<script>\(HTMLAssets.script)</script>\n</body></html>\n"
        return html
    }

    private static func cell(_ record: CaseRecord?, agent: String) -> String {
        guard let record else { return "<td class=\"cell v-none\">–</td>" }
        let code = record.closing.sentByServer.map { $0.code.map(String.init) ?? "no code" } ?? "no close"
        let close = record.closeVerdict == .ok || record.closeVerdict == .informational ? "" : " · \(record.closeVerdict)"
        let advisories = (record.advisories ?? []).isEmpty ? "" : " · advisory"
        return "<td class=\"cell v-\(record.verdict.rawValue)\"><a href=\"\(casePagePath(agent: agent, id: record.id))\">"
            + "\(record.verdict)</a><small>\(HTMLText.escape(code))\(close)\(advisories) · \(AutobahnJSON.milliseconds(record.duration)) ms</small></td>"
    }

    // MARK: Case pages

    static func casePage(_ record: CaseRecord, run: ConformanceRun) -> String {
        var html = HTMLAssets.head(title: "\(record.id) \(record.title) – \(run.agent)")
        html += "<p><a href=\"../index.html\">← all cases</a></p>\n"
        html += "<h1>\(record.id) \(HTMLText.escape(record.title))</h1>\n<table class=\"summary\">"
        func row(_ name: String, _ value: String) -> String { "<tr><th>\(name)</th><td>\(value)</td></tr>" }
        html += row("Agent", HTMLText.escape(run.agent)) + row("Target", HTMLText.escape(run.target))
        html += row("Behaviour", "<span class=\"badge v-\(record.verdict.rawValue)\">\(record.verdict)</span>")
        html += row("Close", "<span class=\"badge v-\(record.closeVerdict == .ok ? "OK" : record.closeVerdict == .informational ? "INFORMATIONAL" : "FAILED")\">\(record.closeVerdict)</span>")
        html += row("Requirement", "\(record.requirement) (\(HTMLText.escape(record.rfcSections.joined(separator: ", "))))")
        html += row("Duration", "\(record.duration.secondsText) s") + row("Seed", record.seed.map(String.init) ?? "–")
        if let deflate = record.permessageDeflate { html += row("permessage-deflate", HTMLText.escape(deflate)) }
        for measurement in record.measurements ?? [] {
            html += row(HTMLText.escape(measurement.name.prefix(1).uppercased() + measurement.name.dropFirst()),
                        HTMLText.escape(measurement.formatted))
        }
        html += "</table>\n"
        html += "<h2>What the client sends</h2><p>\(HTMLText.escape(record.sends))</p>\n"
        html += "<h2>What a conforming peer does</h2><p>\(HTMLText.escape(record.expectation))</p>\n"
        html += "<h2>Acceptable outcomes</h2><ul>" + record.acceptableOutcomes.map { "<li>\(HTMLText.escape($0))</li>" }.joined() + "</ul>\n"
        html += "<h2>Why this verdict</h2>"
        html += record.reasons.isEmpty ? "<p>As expected.</p>\n" : "<ul>" + record.reasons.map { "<li>\(HTMLText.escape($0))</li>" }.joined() + "</ul>\n"
        if let advisories = record.advisories, !advisories.isEmpty {
            html += "<h2>Advisories</h2><p class=\"muted\">SHOULDs the peer did not follow. They do not fail the case; "
                + "under <code>--strict</code> they do.</p><ul>"
                + advisories.map { "<li>\(HTMLText.escape($0.finding)) <span class=\"muted\">(\(HTMLText.escape($0.rule)), SHOULD)</span></li>" }.joined()
                + "</ul>\n"
        }
        html += "<h2>What was observed</h2>"
        html += record.observed.isEmpty ? "<p>Nothing.</p>\n"
            : "<ol>" + record.observed.map { "<li><span class=\"muted\">\(Self.milliseconds($0.time)) ms</span> \(HTMLText.escape($0.text))</li>" }.joined() + "</ol>\n"
        html += closing(record)
        // Line ends shown as line ends; a bare CR (a deliberately broken request) still shows as \r.
        let head = { (text: String?, none: String) in HTMLText.escape((text ?? none).replacingOccurrences(of: "\r\n", with: "\n")) }
        html += "<h2>Opening handshake</h2><h3>Request</h3><pre>\(head(record.handshake?.request, "(none sent)"))</pre>"
        html += "<h3>Response</h3><pre>\(head(record.handshake?.response, "(no response)"))</pre>\n"
        html += wireLog(record)
        html += "</body></html>\n"
        return html
    }

    private static func closing(_ record: CaseRecord) -> String {
        func frame(_ close: CloseFrameRecord?) -> String {
            guard let close else { return "none" }
            let reason = close.reason.isEmpty ? "" : ", reason “\(HTMLText.preview(close.reason, limit: 200))”"
            return "code \(close.code.map(String.init) ?? "none")\(reason)"
        }
        let closing = record.closing
        return "<h2>Closing</h2><table class=\"summary\">"
            + "<tr><th>Client's close frame</th><td>\(frame(closing.sentByClient))</td></tr>"
            + "<tr><th>Server's close frame</th><td>\(frame(closing.sentByServer))</td></tr>"
            + "<tr><th>Closing initiated by</th><td>\(closing.initiatedBy?.rawValue ?? "nobody")</td></tr>"
            + "<tr><th>TCP dropped first by</th><td>\(closing.droppedBy?.rawValue ?? "nobody")</td></tr>"
            + "<tr><th>Clean</th><td>\(closing.wasClean ? "yes" : "no")</td></tr></table>\n"
    }

    private static func wireLog(_ record: CaseRecord) -> String {
        let decoded = WireLogDecoder.decode(record)
        var html = "<h2>Statistics</h2><table class=\"summary\"><tr><th></th><th>Octets</th><th>Reads/writes</th><th>Frames</th></tr>"
        for direction in [WireRecord.Direction.sent, .received] {
            let records = record.wire.filter { $0.direction == direction }
            let frames = (decoded.frameCounts[direction] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            html += "<tr><th>\(direction == .sent ? "Sent" : "Received")</th><td>\(records.reduce(0) { $0 + $1.length })</td>"
                + "<td>\(records.count)</td><td>\(HTMLText.escape(frames.joined(separator: ", ")))</td></tr>"
        }
        html += "</table>\n<h2>Wire log</h2>\n"
        if record.wire.count >= WireRecord.roundTripRecordLimit || record.wire.contains(where: \.isTruncated) {
            html += "<p class=\"muted\">The log keeps the first bytes each way, then lengths alone, and stops after "
                + "\(WireRecord.recordLimit) reads and writes (\(WireRecord.roundTripRecordLimit) in round trips); "
                + "the statistics count what it kept.</p>"
        }
        html += decoded.notes.map { "<p class=\"muted\">\(HTMLText.escape($0))</p>" }.joined()
        html += "<table class=\"wire\"><thead><tr><th>#</th><th>Dir</th><th>ms</th><th>Octets</th><th>Frames beginning here</th>"
            + "<th>Hex (first 64 octets)</th><th>Text</th></tr></thead><tbody>\n"
        for (index, wire) in record.wire.enumerated() {
            let hex = ObservedEvent.hex(Array(wire.bytes.prefix(64))) + (wire.bytes.count > 64 ? "…" : "")
            html += "<tr><td>\(index + 1)</td><td>\(wire.direction == .sent ? "→" : "←")</td><td>\(Self.milliseconds(wire.time))</td>"
                + "<td>\(wire.length)\(wire.isTruncated ? " (kept \(wire.bytes.count))" : "")</td>"
                + "<td>\(HTMLText.escape((decoded.headers[index] ?? []).joined(separator: "; ")))</td>"
                + "<td class=\"hex\">\(hex)</td><td>\(HTMLText.preview(wire.bytes, limit: 64))</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let micros = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        let fraction = String(micros % 1000)
        return "\(micros / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
