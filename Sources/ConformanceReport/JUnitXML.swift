import Scenario

/// The JUnit XML report: one `<testsuite>` per section, one `<testcase>` per case. A failure carries the
/// requirement, what was expected and what happened; UNIMPLEMENTED is `<skipped>`; NON-STRICT fails only
/// under `--strict`. Everything from the peer is escaped, and characters XML 1.0 cannot carry are dropped.
enum JUnitXML {
    static func document(_ run: ConformanceRun) -> String {
        let sections = Dictionary(grouping: run.results) { $0.id.section }
        let order = sections.keys.sorted()
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"\(escape("wsspec " + run.agent))\" tests=\"\(run.results.count)\" "
            + "failures=\"\(run.failures.count)\" errors=\"0\" time=\"\(seconds(run.duration))\">\n"
        for section in order {
            let results = sections[section]!
            let failures = results.count { $0.fails(strict: run.strict) }
            let skipped = results.count { $0.verdict == .unimplemented }
            let time = results.reduce(Duration.zero) { $0 + $1.duration }
            xml += "  <testsuite name=\"\(escape("\(run.agent) section \(section)"))\" tests=\"\(results.count)\" "
                + "failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"\(seconds(time))\">\n"
            for result in results { xml += testcase(result, run: run) }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    private static func testcase(_ result: CaseResult, run: ConformanceRun) -> String {
        let name = escape("\(result.id) \(result.title)")
        var xml = "    <testcase classname=\"\(escape("wsspec.\(run.agent).\(result.id.section)"))\" name=\"\(name)\" "
            + "time=\"\(seconds(result.duration))\""
        if result.fails(strict: run.strict) {
            let message = "\(result.verdict)/\(result.closeVerdict): \(result.reasons.first ?? "")"
            let body = """
                Requirement: \(result.requirement) (\(result.rfcSections.joined(separator: ", ")))
                Expected: \(result.acceptableOutcomes.joined(separator: " | Or: "))
                Actual: \(result.reasons.joined(separator: " "))
                Observed: \(result.observed.map(\.description).joined(separator: "; "))
                """
            xml += ">\n      <failure type=\"\(escape(result.verdict.rawValue))\" message=\"\(escape(message))\">\(escape(body))</failure>\n    </testcase>\n"
        } else if result.verdict == .unimplemented {
            xml += ">\n      <skipped message=\"\(escape("UNIMPLEMENTED: \(result.reasons.first ?? "")"))\"/>\n    </testcase>\n"
        } else {
            xml += "/>\n"
        }
        return xml
    }

    private static func seconds(_ duration: Duration) -> String { duration.secondsText }

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
