import ConformanceReport
import NIOConcurrencyHelpers
import Scenario

/// Progress while cases run: a live line on a terminal (done/total, failures so far, and what a slow case is
/// waiting for), a plain line per case otherwise, so that CI logs stay readable.
final class Progress: Sendable {
    private struct Running {
        var since: ContinuousClock.Instant
        var waitingFor: String?
        var toldSlow = false
    }

    private struct State {
        var done = 0
        var failed = 0
        var finished = false
        var last = ""
        var running: [CaseID: Running] = [:]
    }

    /// A case running longer than this is named on the live line; on a log, at `slowForLog` once.
    private static let slowOnTerminal = Duration.seconds(3)
    private static let slowForLog = Duration.seconds(15)

    private let total: Int
    private let strict: Bool
    private let live: Bool
    private let clock = ContinuousClock()
    private let state = NIOLockedValueBox(State())

    init(total: Int, strict: Bool) {
        self.total = total
        self.strict = strict
        live = Console.errorIsTerminal
    }

    func started(_ scenario: ScenarioCase, parameters: RunParameters) {
        let waitingFor = scenario.timing(parameters).longestWait
        let now = clock.now
        state.withLockedValue { $0.running[scenario.id] = Running(since: now, waitingFor: waitingFor) }
    }

    func record(_ result: CaseResult) {
        state.withLockedValue { state in
            guard !state.finished else { return }
            state.running[result.id] = nil
            state.done += 1
            if result.fails(strict: strict) { state.failed += 1 }
            state.last = "\(result.id) \(result.verdict)"
            if live {
                Console.status(line(state))
            } else {
                Console.error("[\(state.done)/\(total)] \(result.summary)")
            }
        }
    }

    /// Refreshes the live line (a slow case shows up without another case finishing) and, on a log, names
    /// each slow case once. Runs until cancelled.
    func tick() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let now = clock.now
            state.withLockedValue { state in
                guard !state.finished else { return }
                if live {
                    if state.done > 0 || !state.running.isEmpty { Console.status(line(state)) }
                    return
                }
                for (id, running) in state.running.sorted(by: { $0.key < $1.key })
                where !running.toldSlow && now - running.since >= Self.slowForLog {
                    state.running[id]?.toldSlow = true
                    Console.error(
                        "[\(state.done)/\(total)] \(id) still running after \((now - running.since).secondsText) s"
                            + (running.waitingFor.map { ": it waits for \($0) by design" } ?? ""))
                }
            }
        }
    }

    private func line(_ state: State) -> String {
        var text = "[\(state.done)/\(total)] \(state.failed) failed so far"
        if !state.last.isEmpty { text += " · \(state.last)" }
        let now = clock.now
        if let (id, running) = state.running.min(by: { $0.value.since < $1.value.since }), now - running.since >= Self.slowOnTerminal {
            text += " · \(id) running \((now - running.since).secondsText) s" + (running.waitingFor.map { ", waits for \($0)" } ?? "")
        }
        return text
    }

    /// Ends the live line.
    func finish() {
        state.withLockedValue { state in
            if live && !state.finished && state.done > 0 { Console.status("") }
            state.finished = true
        }
    }
}
