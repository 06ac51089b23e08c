import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A shell command run as a client under test: `/bin/sh -c COMMAND` in a process group of its own (so that a
/// deadline stops the client and whatever it started, not only the shell), its output in a log file, its input
/// `/dev/null`.
final class ChildProcess: Sendable {
    let pid: pid_t
    private let exit: Task<Int32, Never>

    /// Starts `command`; the environment is ours plus `environment`. Throws when the process cannot be spawned.
    init(command: String, environment: [String: String], log: URL) throws {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        var variables = ProcessInfo.processInfo.environment
        for (name, value) in environment { variables[name] = value }
        let words: [String] = ["/bin/sh", "-c", command]
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let pairs: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            arguments.forEach { free($0) }
            pairs.forEach { free($0) }
        }
        var spawned: pid_t = 0
        let status = posix_spawn(&spawned, "/bin/sh", &actions, &attributes, arguments, pairs)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL) }
        let pid = spawned
        self.pid = pid
        // waitpid blocks a thread; it gets one of its own rather than one of the concurrency pool's two.
        exit = Task.detached {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    var status: Int32 = 0
                    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                    // An exit status, or 128 + the signal that ended it, as shells report them.
                    let low = status & 0x7F
                    continuation.resume(returning: low == 0 ? (status >> 8) & 0xFF : 128 + low)
                }
            }
        }
    }

    /// The exit status once the process has ended (128 + N after signal N).
    var exitStatus: Int32 {
        get async { await exit.value }
    }

    /// Waits until the process ends or `deadline` passes; true when it ended.
    func waitForExit(until deadline: ContinuousClock.Instant) async -> Bool {
        // Not a task group: its waiting child could not be cancelled, and the group would wait for the process.
        let first = FirstAnswer()
        return await withCheckedContinuation { continuation in
            first.waiting(continuation)
            Task { _ = await self.exitStatus; first.answer(true) }
            Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                first.answer(false)
            }
        }
    }

    /// Ends the process group: SIGTERM, then SIGKILL after `grace`. Returns once the shell has ended.
    func stop(grace: Duration = .seconds(2)) async {
        kill(-pid, SIGTERM)
        if await waitForExit(until: .now + grace) {
            kill(-pid, SIGKILL)  // Anything the shell started and left behind.
            return
        }
        kill(-pid, SIGKILL)
        _ = await exitStatus
    }
}

/// A continuation that the first of several answers resumes; the later ones are dropped.
private final class FirstAnswer: Sendable {
    private let continuation = Mutex<CheckedContinuation<Bool, Never>?>(nil)

    func waiting(_ waiter: CheckedContinuation<Bool, Never>) { continuation.withLock { $0 = waiter } }
    func answer(_ value: Bool) { continuation.withLock { $0.take() }?.resume(returning: value) }
}
