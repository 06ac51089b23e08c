import Foundation

/// A value behind a pthread lock (`NSLock`), for state that the concurrency pool's threads, NIO's event loops and
/// the command's own threads share. Not `Synchronization.Mutex`: on Linux ThreadSanitizer does not see its ordering
/// and reports every access as a race (docs/decisions.md, "Locks ThreadSanitizer can see").
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
