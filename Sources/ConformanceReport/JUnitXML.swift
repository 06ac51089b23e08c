import Scenario

/// The JUnit XML report: one `<testsuite>` per section, one `<testcase>` per case. A failure carries the
/// requirement, what was expected and what happened; UNIMPLEMENTED is `<skipped>`; NON-STRICT fails only
/// under `--strict`. Everything from the peer is escaped, and characters XML 1.0 cannot carry are dropped.
enum JUnitXML {
    static func document(_ runs: [ConformanceRun]) -> String {
        let total = runs.reduce(0) { $0 + $1.results.count }
        let failed = runs.reduce(0) { $0 + $1.failures.count }
        let time = runs.reduce(Duration.zero) { $0 + $1.duration }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"wsspec\" tests=\"\(total)\" failures=\"\(failed)\" errors=\"0\" time=\"\(time.secondsText)\">\n"
        for run in runs {
            let sections = Dictionary(grouping: run.results) { $0.id.section }
            for section in sections.keys.sorted() {
                let results = sections[section]!
                let failures = results.count { $0.fails(strict: run.strict) }
                let skipped = results.count { $0.verdict == .unimplemented }
                let time = results.reduce(Duration.zero) { $0 + $1.duration }
                xml +=
                    "  <testsuite name=\"\(escape("\(run.agent) section \(section)"))\" tests=\"\(results.count)\" "
                    + "failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"\(time.secondsText)\">\n"
                for result in results { xml += testcase(result, run: run) }
                xml += "  </testsuite>\n"
            }
        }
        xml += "</testsuites>\n"
        return xml
    }

    private static func testcase(_ result: CaseRecord, run: ConformanceRun) -> String {
        let name = escape("\(result.id) \(result.title)")
        var xml =
            "    <testcase classname=\"\(escape("wsspec.\(run.agent).\(result.id.section)"))\" name=\"\(name)\" "
            + "time=\"\(result.duration.secondsText)\""
        if result.fails(strict: run.strict) {
            let advisories = result.advisories
            let message = "\(result.verdict)/\(result.closeVerdict): \(result.reasons.first ?? advisories.first?.description ?? "")"
            let body = """
                Requirement: \(result.requirement) (\(result.rfcSections.joined(separator: ", ")))
                Expected: \(result.acceptableOutcomes.joined(separator: " | Or: "))
                Actual: \(result.reasons.joined(separator: " "))
                Advisories: \(advisories.isEmpty ? "none" : advisories.map(\.description).joined(separator: "; "))
                Observed: \(result.observed.map(\.description).joined(separator: "; "))
                """
            xml +=
                ">\n      <failure type=\"\(escape(result.verdict.rawValue))\" message=\"\(escape(message))\">\(escape(body))</failure>\n    </testcase>\n"
        } else if result.verdict == .unimplemented {
            xml += ">\n      <skipped message=\"\(escape("UNIMPLEMENTED: \(result.reasons.first ?? "")"))\"/>\n    </testcase>\n"
        } else {
            xml += "/>\n"
        }
        return xml
    }

    /// Text and attribute escaping; drops what XML 1.0 forbids (most C0 controls, lone surrogates cannot occur).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
