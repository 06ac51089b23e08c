import ConformanceReport
import Dispatch
import Foundation
import NIOConcurrencyHelpers

/// serve-suite's reports, kept up to date as agents ask (`/updateReports`):
/// - written on a queue of their own, off Swift's concurrency pool: a report of many agents takes seconds of CPU,
///   and the pool has a thread per core, so every connection would otherwise wait for it;
/// - one write at a time: requests that arrive during a write are answered by the next one, which covers them all;
/// - each write writes the case files of the results that changed since the last one, removes those of agents that
///   were replaced, and rewrites the index files (which cover every agent).
final class ReportUpdater: Sendable {
    private struct State {
        var requested = 0
        var written = 0
        var writing = false
        var waiters: [(generation: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = NIOLockedValueBox(State())
    private let queue = DispatchQueue(label: "wsspec.reports")
    private let snapshot: @Sendable () async -> ReportChanges
    private let write: @Sendable (ReportChanges) throws -> Void

    init(snapshot: @escaping @Sendable () async -> ReportChanges, write: @escaping @Sendable (ReportChanges) throws -> Void) {
        self.snapshot = snapshot
        self.write = write
    }

    /// Returns once a write that began after this call has ended (written, or failed with its error on standard
    /// error).
    func update() async {
        let (generation, start) = state.withLockedValue { state in
            state.requested += 1
            defer { state.writing = true }
            return (state.requested, !state.writing)
        }
        if start { Task.detached { await self.writeUntilCurrent() } }
        await withCheckedContinuation { continuation in
            let done = state.withLockedValue { state in
                guard state.written < generation else { return true }
                state.waiters.append((generation, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Writes until a write has begun after the latest request.
    private func writeUntilCurrent() async {
        while true {
            let target = state.withLockedValue { $0.requested }
            let changes = await snapshot()
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                queue.async { [write] in
                    do {
                        try write(changes)
                    } catch {
                        Console.error("error: cannot write the reports: \(error)")
                    }
                    continuation.resume()
                }
            }
            let (ready, finished) = state.withLockedValue { state in
                state.written = target
                let ready = state.waiters.filter { $0.generation <= target }.map(\.continuation)
                state.waiters.removeAll { $0.generation <= target }
                let finished = state.requested == target
                if finished { state.writing = false }
                return (ready, finished)
            }
            for waiter in ready { waiter.resume() }
            if finished { return }
        }
    }
}
