/// The `ClientSession` of a `TestConnection`. A session is not `Sendable` (its connection and zlib state are
/// not locked); this one is touched only with its `TestServer`'s driving lock held: inside `drive` (which
/// holds it while the simulation runs) or through `read`, so that connections shared between tasks are safe.
// Unchecked: the driving lock is what serialises every use of `session`.
final class DrivenClient: @unchecked Sendable {
    /// Only inside `TestServer.drive`.
    let session: ClientSession
    private let server: TestServer

    init(session: ClientSession, server: TestServer) {
        self.session = session
        self.server = server
    }

    /// Reads the session's state with the driving lock held.
    func read<T: Sendable>(_ body: (ClientSession) -> T) -> T {
        server.withDrivingLock { body(session) }
    }
}
