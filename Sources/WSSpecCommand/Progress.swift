import ConformanceReport
import Scenario
import Synchronization

/// Progress while cases run: a live line on a terminal (done/total, failures so far), a plain line per
/// case otherwise, so that CI logs stay readable.
final class Progress: Sendable {
    private struct State {
        var done = 0
        var failed = 0
        var finished = false
    }

    private let total: Int
    private let strict: Bool
    private let live: Bool
    private let state = Mutex(State())

    init(total: Int, strict: Bool) {
        self.total = total
        self.strict = strict
        live = Console.errorIsTerminal
    }

    func record(_ result: CaseResult) {
        state.withLock { state in
            guard !state.finished else { return }
            state.done += 1
            if result.fails(strict: strict) { state.failed += 1 }
            if live {
                Console.status("[\(state.done)/\(total)] \(state.failed) failed so far · \(result.id) \(result.verdict)")
            } else {
                Console.error("[\(state.done)/\(total)] \(result.summary)")
            }
        }
    }

    /// Ends the live line.
    func finish() {
        state.withLock { state in
            if live && !state.finished && state.done > 0 { Console.status("") }
            state.finished = true
        }
    }
}
