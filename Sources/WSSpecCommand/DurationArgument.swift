import ArgumentParser
import Scenario

/// A duration on the command line: `250ms`, `5s`, `2m`, or a bare number of seconds (`1.5`).
struct DurationArgument: ExpressibleByArgument, Sendable, Hashable {
    var duration: Duration

    init?(argument: String) {
        let text = argument.lowercased().filter { $0 != " " }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
        var number = Substring(text)
        var scale = 1.0
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            number = text.dropLast(suffix.count)
            scale = factor
            break
        }
        guard let value = Double(number), value.isFinite, value >= 0, value * scale <= 86_400 else { return nil }
        duration = .milliseconds(Int64((value * scale * 1000).rounded()))
    }

    init(duration: Duration) { self.duration = duration }

    static var defaultCompletionKind: CompletionKind { .default }

    /// As the help shows a default: `5s`, not the structure.
    var defaultValueDescription: String { duration.formatted }
}
