import Foundation
import Scenario

/// A saved run read from a file is input like any other: `wsspec report` and `wsspec diff` must answer a
/// crafted or damaged `wsspec-run.json` with an error that names the file and the field, never trap on a value
/// that formatting or layout would choke on (a negative duration, a length below zero, a count of 10^300).
enum SavedRunCheck {
    /// Longer than any run: a month.
    static let longestDuration = Duration.seconds(30 * 24 * 3600)
    /// More than any case moves each way (a tebibyte): lengths past it are crafted, and their sums could overflow.
    static let largestWireTotal = 1 << 40

    static func check(_ runs: [ConformanceRun], file: String) throws(ReportWriter.ReportError) {
        for (runIndex, run) in runs.enumerated() {
            let prefix = runs.count == 1 ? "" : "[\(runIndex)]."
            try duration(run.duration, "\(prefix)duration", file)
            // Dates are written with four-digit years; a crafted one of 10^300 seconds has none.
            guard abs(run.startedAt.timeIntervalSinceReferenceDate) < 2.5e11 else {
                throw failure(file, "\(prefix)startedAt", "not a date between the years 0 and 9999")
            }
            for (index, record) in run.results.enumerated() {
                let field = "\(prefix)results[\(index)] (case \(record.id))"
                try duration(record.duration, "\(field).duration", file)
                for (eventIndex, event) in record.observed.enumerated() {
                    try duration(event.time, "\(field).observed[\(eventIndex)].time", file)
                }
                var total = 0
                for (wireIndex, wire) in record.wire.enumerated() {
                    try duration(wire.time, "\(field).wire[\(wireIndex)].time", file)
                    guard wire.length >= wire.bytes.count else {
                        throw failure(file, "\(field).wire[\(wireIndex)].length", "\(wire.length) is less than the \(wire.bytes.count) bytes kept")
                    }
                    // Each length is below the bound, so the running total cannot overflow before it is checked.
                    total += min(wire.length, largestWireTotal + 1)
                    guard total <= largestWireTotal else {
                        throw failure(file, "\(field).wire[\(wireIndex)].length", "the lengths add up to more than 1 TiB")
                    }
                }
                for (measureIndex, measurement) in record.measurements.enumerated()
                where !measurement.value.isFinite || abs(measurement.value) >= 1e15 {
                    throw failure(file, "\(field).measurements[\(measureIndex)].value", "\(measurement.value) is out of range")
                }
                if let status = record.handshake?.status, !(0...999).contains(status) {
                    throw failure(file, "\(field).handshake.status", "\(status) is not an HTTP status")
                }
            }
        }
    }

    /// Where a JSON decoder gave up, as a field path: `results[3].duration`.
    static func path(_ error: DecodingError) -> String {
        let context: DecodingError.Context =
            switch error {
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context): context
            @unknown default: DecodingError.Context(codingPath: [], debugDescription: "\(error)")
            }
        var path = ""
        for key in context.codingPath {
            if let index = key.intValue { path += "[\(index)]" } else { path += (path.isEmpty ? "" : ".") + key.stringValue }
        }
        if case .keyNotFound(let key, _) = error { path += (path.isEmpty ? "" : ".") + key.stringValue }
        let underlying = context.underlyingError.map { " (\($0))" } ?? ""
        return (path.isEmpty ? "the top level" : path) + ": " + context.debugDescription + underlying
    }

    private static func duration(_ value: Duration, _ field: String, _ file: String) throws(ReportWriter.ReportError) {
        guard value >= .zero, value <= longestDuration else {
            // No value in the message: formatting one past Int64 seconds is what must not happen.
            throw failure(file, field, "\(value < .zero ? "negative" : "over 30 days"), out of range")
        }
    }

    private static func failure(_ file: String, _ field: String, _ problem: String) -> ReportWriter.ReportError {
        ReportWriter.ReportError(description: "\(file): \(field): \(problem)")
    }
}
