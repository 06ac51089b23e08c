import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A shell command run as a client under test: `/bin/sh -c COMMAND` in a process group of its own, its input
/// `/dev/null`, its output in a log file, and nothing else of ours: no listening socket, event-loop descriptor or
/// pipe is inherited. The group is ended on every path out, `finish()` after the case and the registry's signal
/// handlers on Ctrl-C, so that neither the client nor anything it started outlives the case or holds our port.
final class ChildProcess: Sendable {
    let pid: pid_t
    /// Resolves once the shell has exited; the shell is left unreaped (a zombie) until `finish()`, so that its
    /// pid, which names the process group, cannot be reused by another process while the group is still ended.
    private let exited: Task<Void, Never>
    private let status = NIOLockedValueBox<Int32?>(nil)

    /// Starts `command`; the environment is ours plus `environment`. Throws when the log cannot be created safely
    /// or the process cannot be spawned.
    init(command: String, environment: [String: String], log: URL) throws {
        let output = try Self.createLog(at: log)
        defer { close(output) }
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        Self.closeEverythingElse(&actions)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        // The client starts with no signal blocked and default dispositions (we ignore SIGINT and SIGPIPE ourselves).
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        var variables = ProcessInfo.processInfo.environment
        for (name, value) in environment { variables[name] = value }
        let words: [String] = ["/bin/sh", "-c", command]
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let pairs: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for argument in arguments { free(argument) }
            for pair in pairs { free(pair) }
        }
        var spawned: pid_t = 0
        let result = ChildProcessRegistry.spawning {
            let result = posix_spawn(&spawned, "/bin/sh", &actions, &attributes, arguments, pairs)
            return (result, result == 0 ? spawned : nil)
        }
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        let pid = spawned
        self.pid = pid
        // waitid blocks a thread; it gets one of its own rather than one of the concurrency pool's two.
        exited = Task.detached {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    var info = siginfo_t()
                    while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
                    continuation.resume()
                }
            }
        }
    }

    /// The log, created anew and never through a symbolic link (a link planted there could point anywhere).
    private static func createLog(at log: URL) throws -> Int32 {
        unlink(log.path) // Removes a file or a link of an earlier run, never what a link points to.
        let descriptor = open(log.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO, userInfo: [NSFilePathErrorKey: log.path])
        }
        return descriptor
    }

    /// Closes every descriptor from 3 up in the child (glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`,
    /// looked up at run time since Swift's Glibc module does not declare it); where it is missing, marks ours
    /// close-on-exec instead.
    private static func closeEverythingElse(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np"), // nil: RTLD_DEFAULT
            unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3) == 0
        {
            return
        }
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for case let descriptor? in descriptors.map({ Int32($0) }) where descriptor > 2 {
            _ = fcntl(descriptor, F_SETFD, fcntl(descriptor, F_GETFD) | FD_CLOEXEC)
        }
    }

    /// Waits until the shell exits or `deadline` passes; true when it exited.
    func waitForExit(until deadline: ContinuousClock.Instant) async -> Bool {
        // Not a task group: its waiting child could not be cancelled, and the group would wait for the process.
        let first = FirstAnswer()
        return await withCheckedContinuation { continuation in
            first.waiting(continuation)
            Task {
                await self.exited.value
                first.answer(true)
            }
            Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                first.answer(false)
            }
        }
    }

    /// Ends the process group (SIGTERM, then SIGKILL after `grace` for a shell still running; SIGKILL at once for
    /// what a shell that exited left behind), reaps the shell and returns its exit status (128 + N after signal
    /// N, as shells report it). Safe to call more than once.
    @discardableResult
    func finish(grace: Duration = .seconds(2)) async -> Int32 {
        if let known = status.withLockedValue({ $0 }) { return known }
        if !(await waitForExit(until: .now)) {
            kill(-pid, SIGTERM)
            _ = await waitForExit(until: .now + grace)
        }
        kill(-pid, SIGKILL)
        await ChildProcessRegistry.waitIfTerminating()
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        ChildProcessRegistry.ended(pid)
        let low = raw & 0x7F
        let code = low == 0 ? (raw >> 8) & 0xFF : 128 + low
        status.withLockedValue { $0 = code }
        return code
    }
}

/// A continuation that the first of several answers resumes; the later ones are dropped.
private final class FirstAnswer: Sendable {
    private let continuation = NIOLockedValueBox<CheckedContinuation<Bool, Never>?>(nil)

    func waiting(_ waiter: CheckedContinuation<Bool, Never>) { continuation.withLockedValue { $0 = waiter } }
    func answer(_ value: Bool) { continuation.withLockedValue { $0.take() }?.resume(returning: value) }
}
