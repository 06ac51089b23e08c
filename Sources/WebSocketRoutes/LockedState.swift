import NIOConcurrencyHelpers

/// State shared between a host's I/O thread and handler tasks, behind a lock ThreadSanitizer can see.
/// `Synchronization.Mutex` is just as correct, but on Linux its atomics are not instrumented, so TSan reports
/// every access from two threads as a race (checked with a two-thread counter: a report on the first
/// increment). `NIOLock` is a pthread mutex, which TSan understands.
final class LockedState<Value>: @unchecked Sendable {
    private let lock = NIOLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
