import Dispatch
import NIOConcurrencyHelpers
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The client process groups this process has started and not yet ended. On SIGINT, SIGTERM or SIGHUP each group is
/// ended before we go, so that a client interrupted with us is not left running, holding our port or its own.
/// (Only SIGKILL of wsspec itself leaves them; nothing can run then.)
enum ChildProcessRegistry {
    private static let live = NIOLockedValueBox<Set<pid_t>>([])
    /// The signal sources, made on the first spawn and kept alive from then on. A static `let` is initialized once,
    /// thread-safely, and never changes afterwards: no lock is needed, and Dispatch's sources are not `Sendable`.
    nonisolated(unsafe) private static let sources: [any DispatchSourceSignal] = makeSignalSources()
    private static let terminating = Atomic(false)

    /// A signal is ending the process: whoever finishes a child now waits for that instead of going on (the
    /// child's end would otherwise read as the client's own exit and race the signal to the exit status).
    static func waitIfTerminating() async {
        while terminating.load(ordering: .acquiring) { try? await Task.sleep(for: .seconds(1)) }
    }

    /// Runs `spawn` with the registry locked, and records the pid it returns: a signal handled meanwhile waits, so
    /// that no child can be started and missed.
    static func spawning(_ spawn: () -> (Int32, pid_t?)) -> Int32 {
        installSignalHandlers()
        return live.withLockedValue { groups in
            let (result, pid) = spawn()
            if let pid { groups.insert(pid) }
            return result
        }
    }

    /// The group was ended and its leader reaped.
    static func ended(_ pid: pid_t) { _ = live.withLockedValue { $0.remove(pid) } }

    /// Groups still running (for tests).
    static var running: Set<pid_t> { live.withLockedValue { $0 } }

    /// Ends every group: SIGTERM, a moment to go, then SIGKILL.
    static func endAll() {
        let groups = live.withLockedValue { $0 }
        guard !groups.isEmpty else { return }
        for pid in groups { kill(-pid, SIGTERM) }
        usleep(200_000)
        for pid in groups { kill(-pid, SIGKILL) }
    }

    private static func installSignalHandlers() { _ = sources }

    private static func makeSignalSources() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN) // Handled by the source below, on a queue, where locking is allowed.
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                terminating.store(true, ordering: .releasing)
                endAll()
                // Then end as the signal would have ended us (status 128 + N for a shell). This queue's thread
                // blocks signals, so it unblocks this one before raising it.
                signal(number, SIG_DFL)
                var set = sigset_t()
                sigemptyset(&set)
                sigaddset(&set, number)
                pthread_sigmask(SIG_UNBLOCK, &set, nil)
                raise(number)
            }
            source.resume()
            return source
        }
    }
}
