import Crypto
import Foundation
import Scenario
import WebSocketCore

/// The JSON report in Autobahn|Testsuite's shape, so that existing jq gates and dashboards keep working:
/// `index.json` is `{agent: {caseId: {behavior, behaviorClose, remoteCloseCode, duration, reportfile}}}`
/// and each case has a file with Autobahn's field names plus wsspec's own (verdict reasons, RFC sections,
/// seed, octet counts).
enum AutobahnJSON {
    /// `agent_case_1_2_3.json`: Autobahn's naming, with the agent made safe for a file name.
    static func caseFileName(agent: String, id: CaseID) -> String {
        caseFileStem(agent: agent, id: id) + ".json"
    }

    /// `agent_case_1_2_3`, the name of every file of one agent's case. One to one: the agent's part never holds the
    /// `_case_` that the last one in the name is (the id after it is digits and underscores only).
    static func caseFileStem(agent: String, id: CaseID) -> String {
        "\(safeFileName(agent))_case_\(id.rawValue.replacingOccurrences(of: ".", with: "_"))"
    }

    private static let safeFileCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789-_".unicodeScalars)

    /// An agent's name as a file name part, one to one: a name of lower-case ASCII letters, digits, `-` and `_` is
    /// kept as it is; in any other, each byte of what is not one of those is written `+XX` (its UTF-8 in lower-case
    /// hex), so `Foo` is `+46oo` and no name another agent could choose (`_oo-f2bb9519` once shared a file with
    /// `Foo`) writes the same. Lower case throughout, so case-insensitive file systems keep them apart too; a name
    /// whose form would pass 120 characters is `++` and the SHA-256 of the name.
    static func safeFileName(_ text: String) -> String {
        let safe = safeFileCharacters
        if !text.isEmpty, text.unicodeScalars.allSatisfy(safe.contains) { return text.count <= 120 ? text : hashedName(text) }
        var name = ""
        for scalar in text.unicodeScalars {
            if safe.contains(scalar) {
                name.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 { name += "+" + (byte < 16 ? "0" : "") + String(byte, radix: 16) }
            }
            if name.count > 120 { return hashedName(text) }
        }
        return name.isEmpty ? "+" : name
    }

    private static func hashedName(_ text: String) -> String {
        "++" + SHA256.hash(data: Data(text.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    struct IndexEntry: Encodable {
        var behavior: String
        var behaviorClose: String
        var remoteCloseCode: UInt16?
        /// Milliseconds, as Autobahn reports it.
        var duration: Int
        var reportfile: String
    }

    static func index(_ runs: [ConformanceRun]) -> [String: [String: IndexEntry]] {
        var index: [String: [String: IndexEntry]] = [:]
        for run in runs {
            for result in run.results {
                index[run.agent, default: [:]][result.id.rawValue] = IndexEntry(
                    behavior: result.verdict.rawValue, behaviorClose: result.closeVerdict.rawValue,
                    remoteCloseCode: (run.role == .server ? result.closing.sentByClient : result.closing.sentByServer)?.code,
                    duration: milliseconds(result.duration),
                    reportfile: caseFileName(agent: run.agent, id: result.id))
            }
        }
        return index
    }

    struct CaseReport: Encodable {
        // Autobahn|Testsuite's fields.
        var agent: String
        var id: String
        var description: String
        var expectation: String
        var expected: [String]
        var received: [String]
        var behavior: String
        var behaviorClose: String
        var result: String
        var resultClose: String
        var duration: Int
        var wasClean: Bool
        var closedByMe: Bool
        var droppedByMe: Bool
        var localCloseCode: UInt16?
        var localCloseReason: String?
        var remoteCloseCode: UInt16?
        var remoteCloseReason: String?
        var httpRequest: String
        var httpResponse: String
        /// `["TO"|"RO", [octets, hex], milliseconds]`: octets sent (TO) and received (RO), in order.
        var wirelog: [WireEntry]
        var rxOctetStats: [String: Int]
        var txOctetStats: [String: Int]
        // wsspec's own.
        var title: String
        var sends: String
        var requirement: String
        var rfc: [String]
        var reasons: [String]
        var advisories: [Advisory]
        var observed: [String]
        var seed: UInt64?
        var wirelogTruncated: Bool
        /// Round-trip timings and compression ratios (9.x, 12.x, 13.x).
        var measurements: [CaseMeasurement]?
        var permessageDeflate: String?
    }

    struct WireEntry: Encodable {
        var direction: String
        var length: Int
        var hex: String
        var milliseconds: Double

        func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(direction)
            var octets = container.nestedUnkeyedContainer()
            try octets.encode(length)
            try octets.encode(hex)
            try container.encode(milliseconds)
        }
    }

    /// "Me" is the test suite, as in Autobahn's reports: the client when a server is tested, the server when a client is.
    static func caseReport(_ result: CaseRecord, agent: String, role: ScriptRole = .client) -> CaseReport {
        let closing = result.closing
        let me: ClosingRecord.Side = role == .server ? .server : .client
        let (mine, theirs) = role == .server ? (closing.sentByServer, closing.sentByClient) : (closing.sentByClient, closing.sentByServer)
        let reason = { (record: CloseFrameRecord?) in record.map { String(decoding: $0.reason, as: UTF8.self) } }
        return CaseReport(
            agent: agent, id: result.id.rawValue, description: result.title,
            expectation: result.expectation,
            expected: result.acceptableOutcomes, received: result.observed.map(\.description),
            behavior: result.verdict.rawValue, behaviorClose: result.closeVerdict.rawValue,
            result: result.reasons.first ?? "As expected.", resultClose: closeSentence(result),
            duration: milliseconds(result.duration), wasClean: closing.wasClean,
            closedByMe: closing.initiatedBy == me, droppedByMe: closing.droppedBy == me,
            localCloseCode: mine?.code, localCloseReason: reason(mine),
            remoteCloseCode: theirs?.code, remoteCloseReason: reason(theirs),
            httpRequest: result.handshake?.request ?? "", httpResponse: result.handshake?.response ?? "",
            wirelog: result.wire.map { record in
                WireEntry(
                    direction: record.direction == .sent ? "TO" : "RO", length: record.length,
                    hex: ObservedEvent.hex(record.bytes), milliseconds: record.time.seconds * 1000)
            },
            rxOctetStats: octetStats(result.wire, .received), txOctetStats: octetStats(result.wire, .sent),
            title: result.title, sends: result.sends, requirement: result.requirement.rawValue, rfc: result.rfcSections, reasons: result.reasons,
            advisories: result.advisories, observed: result.observed.map(\.description), seed: result.seed,
            wirelogTruncated: result.wire.contains(where: \.isTruncated),
            measurements: result.measurements, permessageDeflate: result.permessageDeflate)
    }

    private static func closeSentence(_ result: CaseRecord) -> String {
        switch result.closeVerdict {
        case .ok: "The connection was closed as expected."
        case .informational: "The close is recorded, not judged."
        default: result.reasons.last ?? result.closeVerdict.rawValue
        }
    }

    /// Autobahn's octet statistics: how many reads or writes carried each number of octets.
    private static func octetStats(_ wire: [WireRecord], _ direction: WireRecord.Direction) -> [String: Int] {
        var stats: [String: Int] = [:]
        for record in wire where record.direction == direction { stats[String(record.length), default: 0] += 1 }
        return stats
    }

    static func milliseconds(_ duration: Duration) -> Int { Int((duration.seconds * 1000).rounded()) }

    /// The saved runs (`wsspec-run.json`): compact, and one result at a time, so that encoding a run whose
    /// results are large costs the output and one result, not an encoder's whole tree of the run (five times
    /// the output, measured against a flooding server).
    static func encodeRuns(_ runs: [ConformanceRun]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let slot = Data("\"results\":[]".utf8)
        var out = Data("[".utf8)
        for (index, run) in runs.enumerated() {
            if index > 0 { out.append(contentsOf: Array(",".utf8)) }
            var header = run
            header.results = []
            let head = try encoder.encode(header)
            // The key itself, unescaped quotes and all, appears once: inside strings a quote is escaped.
            guard let range = head.range(of: slot) else {
                throw EncodingError.invalidValue(run.agent, .init(codingPath: [], debugDescription: "no results key"))
            }
            out.append(head[..<range.lowerBound])
            out.append(contentsOf: Array("\"results\":[".utf8))
            for (position, record) in run.results.enumerated() {
                if position > 0 { out.append(contentsOf: Array(",".utf8)) }
                out.append(try encoder.encode(record))
            }
            out.append(contentsOf: Array("]".utf8))
            out.append(head[range.upperBound...])
        }
        out.append(contentsOf: Array("]".utf8))
        return out
    }

    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
