import Foundation
import Scenario

/// The static HTML report: `index.html` (summary per agent and a matrix of cases by section, one column
/// per agent, with filters and search) and a page per case and agent under `cases/`. No network access
/// is needed to read it.
enum HTMLReport {
    static let sectionNames: [Int: String] = [
        0: "Opening handshake", 1: "Framing", 2: "Pings and pongs", 3: "Reserved bits", 4: "Opcodes",
        5: "Fragmentation", 6: "UTF-8 handling", 7: "Close handling", 9: "Limits and performance",
        10: "Miscellaneous", 11: "Keepalive and timeouts", 12: "permessage-deflate", 13: "permessage-deflate parameters"
    ]

    static func casePagePath(agent: String, id: CaseID) -> String {
        "cases/" + AutobahnJSON.caseFileStem(agent: agent, id: id) + ".html"
    }

    // MARK: index.html

    static func index(_ runs: [ConformanceRun]) -> String {
        var html = HTMLAssets.head(title: "wsspec conformance report")
        html += "<h1>wsspec conformance report</h1>\n" + outcome(runs)
        // The failing count first, and the verdict counts headed as what they are, behaviour alone. The run's
        // particulars go on a line under the agent's name: columns of their own pushed the counts off the page.
        html +=
            "<table class=\"summary\"><thead><tr><th rowspan=\"2\">Agent</th><th rowspan=\"2\">Fail the run</th>"
            + "<th colspan=\"\(Verdict.allCases.count)\">Behaviour verdicts</th></tr><tr>"
        html += Verdict.allCases.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>\n"
        let dateFormat = ISO8601DateFormatter()
        for run in runs {
            let failing = run.failures.count
            html +=
                "<tr><td class=\"name\">\(HTMLText.escape(run.agent))<small class=\"muted\">\(HTMLText.escape(run.target)) · "
                + "\(dateFormat.string(from: run.startedAt)) · \(run.duration.secondsText) s · seed \(run.seed) · "
                + "wsspec \(HTMLText.escape(run.version))</small></td><td class=\"v-\(failing == 0 ? "OK" : "FAILED")\">\(failing)</td>"
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

        html += "<div class=\"filters\"><label>Cases <select id=\"fails\"><option value=\"\">all</option>"
        if runs.count == 1 {
            html += "<option value=\"any\">that fail the run</option>"
        } else {
            // A value per column: the cases that fail one agent's run, exactly as its headline counts them.
            html += "<option value=\"any\">that fail any agent's run</option>"
            for (column, run) in runs.enumerated() {
                html += "<option value=\"\(column)\">that fail the run of \(HTMLText.escape(run.agent))</option>"
            }
        }
        html += "</select></label><span>Show:</span>"
        for verdict in Verdict.allCases {
            html +=
                "<label class=\"badge v-\(verdict.rawValue)\"><input type=\"checkbox\" data-verdict=\"\(verdict.rawValue)\" checked> \(verdict)</label>"
        }
        html += "<label>Section <select id=\"section\"><option value=\"\">all</option>"
        for section in sections {
            html += "<option value=\"\(section)\">\(section) \(HTMLText.escape(sectionNames[section] ?? ""))</option>"
        }
        html +=
            "</select></label><label>Search <input id=\"search\" type=\"search\" placeholder=\"id or title\"></label>"
            + "<span id=\"shown\" class=\"muted\"></span></div>\n"

        html +=
            "<table class=\"matrix\"><thead><tr><th>Case</th><th>Title</th>"
            + runs.map { "<th>\(HTMLText.escape($0.agent))</th>" }.joined() + "</tr></thead>\n"
        for section in sections {
            html +=
                "<tbody data-section=\"\(section)\"><tr class=\"section\"><th colspan=\"\(runs.count + 2)\">"
                + "\(section) \(HTMLText.escape(sectionNames[section] ?? "Section \(section)"))</th></tr>\n"
            for id in ids where id.section == section {
                let records = runs.map { byAgent[$0.agent]?[id] }
                let title = records.compactMap { $0?.title }.first ?? ""
                let verdicts = Set(records.compactMap { $0?.verdict.rawValue }).sorted().joined(separator: " ")
                // The columns whose run this case fails, for the "fail the run" filter; absent when none.
                let failing = runs.indices.filter { records[$0]?.fails(strict: runs[$0].strict) == true }.map { String($0) }
                let fails = failing.isEmpty ? "" : " data-fails=\"\(failing.joined(separator: " "))\""
                html +=
                    "<tr class=\"case\" data-verdicts=\"\(verdicts)\"\(fails) data-search=\"\(HTMLText.escape("\(id) \(title)".lowercased()))\">"
                    + "<td class=\"id\">\(id)</td><td class=\"title\">\(HTMLText.escape(title))</td>"
                for (run, record) in zip(runs, records) { html += cell(record, run: run) }
                html += "</tr>\n"
            }
            html += "</tbody>\n"
        }
        html +=
            "</table>\n<p class=\"muted\">Behaviour verdict, then the peer's close code and the case's duration, "
            + "and the close verdict when it is not OK. A red bar marks a case that fails the run. "
            + "Each cell links to the case's page.</p>\n<script>\(HTMLAssets.script)</script>\n</body></html>\n"
        return html
    }

    /// The headline, per agent: the cases that fail the run (`ConformanceRun.failures`, what `wsspec run`'s
    /// exit status counts), since the behaviour verdicts alone leave out failed closing handshakes.
    private static func outcome(_ runs: [ConformanceRun]) -> String {
        var html = "<div class=\"outcome\">"
        for run in runs {
            let failures = run.failures
            let agent = runs.count == 1 ? "" : "\(HTMLText.escape(run.agent)): "
            guard !failures.isEmpty else {
                html += "<p class=\"pass\">\(agent)<strong>\(agent.isEmpty ? "No" : "no") case fails the run</strong></p>"
                continue
            }
            // Each case under its first reason: FAILED behaviour; else what fails it without --strict, the closing
            // handshake; else --strict alone. The parts add up to the total.
            let behaviour = failures.count { $0.verdict == .failed }
            let closing = failures.count { $0.verdict != .failed && $0.fails(strict: false) }
            let parts = [
                (behaviour, "with FAILED behaviour"), (closing, "with only a failed closing handshake"),
                (failures.count - behaviour - closing, "only under --strict (NON-STRICT or advisories)")
            ]
            let reasons = parts.filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            html +=
                "<p class=\"fail\">\(agent)<strong>\(failures.count) case\(failures.count == 1 ? " fails" : "s fail") the run</strong>: \(reasons)</p>"
        }
        for run in runs {
            let crossTalk = run.results.count { !$0.crossTalkFrom.isEmpty }
            guard crossTalk > 0 else { continue }
            let agent = runs.count == 1 ? "" : "\(HTMLText.escape(run.agent)): "
            html +=
                "<p class=\"fail\">\(agent)<strong>cross-talk</strong>: \(crossTalk) case\(crossTalk == 1 ? "" : "s") received messages "
                + "that other cases sent on their own connections. The server relays messages between connections (a chat room, a "
                + "broadcast); run with <code>--jobs 1</code> to test it one connection at a time.</p>"
        }
        return html + "<p class=\"muted\">A case fails the run, and makes <code>wsspec run</code> exit 1, when its behaviour "
            + "is FAILED or its closing handshake failed (not counted for UNIMPLEMENTED cases), and under <code>--strict</code> "
            + "when it is NON-STRICT or has advisories.</p></div>\n"
    }

    private static func cell(_ record: CaseRecord?, run: ConformanceRun) -> String {
        guard let record else { return "<td class=\"cell v-none\">–</td>" }
        let code = record.closing.sentByServer.map { $0.code.map(String.init) ?? "no code" } ?? "no close"
        // The close verdict and advisories get lines of their own: cells do not wrap, and all of it on one line
        // made five agents' columns wider than the page.
        let close =
            record.closeVerdict == .ok || record.closeVerdict == .informational
            ? "" : "<small class=\"close\">close \(record.closeVerdict)</small>"
        let advisories = record.advisories.isEmpty ? "" : "<small>advisory</small>"
        let verdict = "cell v-\(record.verdict.rawValue)"
        let attributes = record.fails(strict: run.strict) ? "class=\"\(verdict) fails\" title=\"fails the run\"" : "class=\"\(verdict)\""
        return "<td \(attributes)><a href=\"\(casePagePath(agent: run.agent, id: record.id))\">\(record.verdict)</a>"
            + "<small>\(HTMLText.escape(code)) · \(AutobahnJSON.milliseconds(record.duration)) ms</small>\(close)\(advisories)</td>"
    }

    // MARK: Case pages

    static func casePage(_ record: CaseRecord, run: ConformanceRun) -> String {
        var html = HTMLAssets.head(title: "\(record.id) \(record.title) – \(run.agent)")
        html += "<p><a href=\"../index.html\">← all cases</a></p>\n"
        html += "<h1>\(record.id) \(HTMLText.escape(record.title))</h1>\n<table class=\"summary\">"
        func row(_ name: String, _ value: String) -> String { "<tr><th>\(name)</th><td>\(value)</td></tr>" }
        html += row("Agent", HTMLText.escape(run.agent)) + row("Target", HTMLText.escape(run.target))
        html += row("Behaviour", "<span class=\"badge v-\(record.verdict.rawValue)\">\(record.verdict)</span>")
        html += row(
            "Close",
            "<span class=\"badge v-\(record.closeVerdict == .ok ? "OK" : record.closeVerdict == .informational ? "INFORMATIONAL" : "FAILED")\">\(record.closeVerdict)</span>"
        )
        // Behaviour and close are judged apart; this is what the exit status counts.
        html += row("Fails the run", record.fails(strict: run.strict) ? "<span class=\"badge v-FAILED\">yes</span>" : "no")
        html += row("Requirement", "\(record.requirement) (\(HTMLText.escape(record.rfcSections.joined(separator: ", "))))")
        html += row("Duration", "\(record.duration.secondsText) s") + row("Seed", record.seed.map(String.init) ?? "–")
        if let deflate = record.permessageDeflate { html += row("permessage-deflate", HTMLText.escape(deflate)) }
        if let capsule = record.capsule.map(HTMLText.escape) {
            // Every byte both ways, for `wsspec replay` offline or against the server again.
            html += row(
                "Capsule", "<a href=\"../\(capsule)\">\(capsule)</a> · replay: <code>wsspec replay \(capsule)</code> (in the report directory)")
        }
        for measurement in record.measurements {
            html += row(
                HTMLText.escape(measurement.name.prefix(1).uppercased() + measurement.name.dropFirst()),
                HTMLText.escape(measurement.formatted))
        }
        html += "</table>\n"
        html += "<h2>What the client sends</h2><p>\(HTMLText.escape(record.sends))</p>\n"
        html += "<h2>What a conforming peer does</h2><p>\(HTMLText.escape(record.expectation))</p>\n"
        html += "<h2>Acceptable outcomes</h2><ul>" + record.acceptableOutcomes.map { "<li>\(HTMLText.escape($0))</li>" }.joined() + "</ul>\n"
        html += "<h2>Why this verdict</h2>"
        html +=
            record.reasons.isEmpty ? "<p>As expected.</p>\n" : "<ul>" + record.reasons.map { "<li>\(HTMLText.escape($0))</li>" }.joined() + "</ul>\n"
        if !record.advisories.isEmpty {
            html +=
                "<h2>Advisories</h2><p class=\"muted\">SHOULDs the peer did not follow. They do not fail the case; "
                + "under <code>--strict</code> they do.</p><ul>"
                + record.advisories.map {
                    "<li>\(HTMLText.escape($0.finding)) <span class=\"muted\">(\(HTMLText.escape($0.rule)), SHOULD)</span></li>"
                }.joined()
                + "</ul>\n"
        }
        html += "<h2>What was observed</h2>"
        html +=
            record.observed.isEmpty
            ? "<p>Nothing.</p>\n"
            : "<ol>"
                + record.observed.map {
                    "<li><span class=\"muted\">\(Self.milliseconds($0.time)) ms</span> \(HTMLText.escape($0.event.description))</li>"
                }.joined() + "</ol>\n"
        html += closing(record)
        // Line ends shown as line ends; a bare CR (a deliberately broken request) still shows as \r.
        let head = { (text: String?, none: String) in HTMLText.escape((text ?? none).replacingOccurrences(of: "\r\n", with: "\n")) }
        html += "<h2>Opening handshake</h2>"
        if let handshake = record.handshake { html += "<p>By \(HTMLText.escape(handshake.openingKind.description)).</p>" }
        html += "<h3>Request</h3><pre>\(head(record.handshake?.request, "(none sent)"))</pre>"
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
            html +=
                "<tr><th>\(direction == .sent ? "Sent" : "Received")</th><td>\(records.reduce(0) { $0 + $1.length })</td>"
                + "<td>\(records.count)</td><td>\(HTMLText.escape(frames.joined(separator: ", ")))</td></tr>"
        }
        html += "</table>\n<h2>Wire log</h2>\n"
        if record.wire.count >= WireRecord.roundTripRecordLimit || record.wire.contains(where: \.isTruncated) {
            html +=
                "<p class=\"muted\">The log keeps the first bytes each way, then lengths alone, and stops after "
                + "\(WireRecord.recordLimit) reads and writes (\(WireRecord.roundTripRecordLimit) in round trips); "
                + "the statistics count what it kept.</p>"
        }
        html += decoded.notes.map { "<p class=\"muted\">\(HTMLText.escape($0))</p>" }.joined()
        html +=
            "<table class=\"wire\"><thead><tr><th>#</th><th>Dir</th><th>ms</th><th>Octets</th><th>Frames beginning here</th>"
            + "<th>Hex (first 64 octets)</th><th>Text</th></tr></thead><tbody>\n"
        for (index, wire) in record.wire.enumerated() {
            let hex = ObservedEvent.hex(Array(wire.bytes.prefix(64))) + (wire.bytes.count > 64 ? "…" : "")
            html +=
                "<tr><td>\(index + 1)</td><td>\(wire.direction == .sent ? "→" : "←")</td><td>\(Self.milliseconds(wire.time))</td>"
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
