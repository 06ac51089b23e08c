import Synchronization
public import Transport
public import WebSocketRoutes
public import WireSim

/// Hosts an application's routes in-process over the simulated network, on virtual time: connections go
/// through the real handshake and protocol code, a 30 s ping timeout takes microseconds, and the same
/// test always gives the same bytes and the same result.
///
///     let server = TestServer { router in router.ws("/echo") { message, _ in message } }
///     let client = try await server.connect("/echo")
///     try await client.send(text: "hi")
///     #expect(try await client.receive() == .text("hi"))
///
/// Time moves only while a call waits (`receive`, `expectNothing`, `advanceTime`...). Handlers run on the
/// simulation's executor; they should wait with `connection.sleep(for:)`, which virtual time wakes.
public final class TestServer: @unchecked Sendable {
    /// The simulation everything runs on (its trace holds every byte and event).
    public let simulation: Simulation
    /// The routes under test, when the server hosts a `WebSocketRouter` (nil for a framework's application).
    public let router: WebSocketRouter?
    /// What answers each connection: the router's sessions, or an application on NIO's channel API.
    public let application: any InProcessServer
    private let linkOptions: LinkOptions
    // Serialises callers; every mutable field below is touched only with it held, on the driving thread.
    private let driving = Mutex(())
    private var hosts: [any SimulatedServerEndpoint] = []
    private var connectionCount = 0

    /// - Parameters:
    ///   - seed: every random choice of the run (nonces, mask keys, the link's segmentation) comes from it.
    ///   - link: how the simulated network treats the bytes (ideal by default; `.choppy` splits and delays them,
    ///     `.everyByte` delivers one byte at a time).
    public convenience init(
        seed: UInt64 = 0, link: LinkOptions = .ideal, configuration: ServerConfiguration = ServerConfiguration(),
        routes: (inout WebSocketRouter) -> Void
    ) {
        var router = WebSocketRouter(configuration: configuration)
        routes(&router)
        self.init(seed: seed, link: link, router: router)
    }

    public init(seed: UInt64 = 0, link: LinkOptions = .ideal, router: WebSocketRouter) {
        self.router = router
        application = InProcessSessions { router.makeSession() }
        simulation = Simulation(seed: seed)
        linkOptions = link
    }

    /// Hosts any in-process server: a framework's application (`WebSocketTestingHummingbird`), or sessions.
    public init(seed: UInt64 = 0, link: LinkOptions = .ideal, application: any InProcessServer) {
        router = nil
        self.application = application
        simulation = Simulation(seed: seed)
        linkOptions = link
    }

    deinit {
        // End every connection and let the handlers unwind (a cancelled virtual sleep throws at once): a task
        // left suspended on a simulation that is gone would never be freed.
        for host in hosts { host.shutDown() }
        simulation.run(until: simulation.now.advanced(by: .seconds(60)), maxEvents: 1_000_000)
        simulation.discardPendingEvents()
    }

    /// Virtual time since the server was made.
    public var now: Duration { VirtualInstant.zero.duration(to: simulation.now) }

    /// Opens a connection to `path` (`/rooms/7?user=ann`). A refused upgrade throws
    /// `ClientSessionError.upgradeRefused` with the HTTP status.
    /// - Parameter respondsToPings: answer the server's pings (as every real client does); false to test a
    ///   ping timeout.
    public func connect(
        _ path: String, headers: HTTPHeaders = HTTPHeaders(), subprotocols: [String] = [],
        extensions: [ExtensionOffer] = [], respondsToPings: Bool = true,
        timeout: Duration = .seconds(10)
    ) async throws -> TestConnection {
        let client = try await drive(timeout: timeout) { [self] in
            let transport = SimulatedTransport(link: openLink(named: "connection"))
            let nonce = (0..<16).map { _ in UInt8.random(in: 0...255, using: &simulation.random) }
            let maskSeed = simulation.random.next()
            let request = ClientHandshakeRequest(
                target: path, host: "127.0.0.1", nonce: nonce, subprotocols: subprotocols,
                extensions: extensions, extraHeaders: headers)
            return { @Sendable [self] in
                DrivenClient(
                    session: try await ClientSession.connect(
                        over: transport, request: request,
                        maskKeys: GeneratorMaskKeySource(SimulationRandom(seed: maskSeed)),
                        respondsToPings: respondsToPings, timeout: timeout),
                    server: self)
            }
        }
        return TestConnection(server: self, client: client)
    }

    /// A new connection to the application (on the driving thread, with the lock held): the link, with the
    /// application's end attached.
    func openLink(named name: String) -> SimulatedLink {
        connectionCount += 1
        let link = SimulatedLink(simulation: simulation, name: "\(name) \(connectionCount)", options: linkOptions)
        hosts.append(application.attach(to: link))
        return link
    }

    /// Lets `duration` of virtual time pass: timers fire, handlers' sleeps end, pings go out. `.zero` runs
    /// what is due now (say, the server's side of a close the client has just seen end).
    public func advanceTime(by duration: Duration) async {
        // A run of its own for `duration`: the same segments as `drive`, so outside work is waited for too.
        _ = try? await drive(timeout: duration) { [simulation] in
            { @Sendable in try? await simulation.clock.sleep(for: duration) }
        }
    }

    /// Runs `body` with the driving lock held: reads of state that only the simulation writes.
    func withDrivingLock<T: Sendable>(_ body: () -> T) -> T {
        driving.withLock { _ in body() }
    }

    /// Every byte and event so far, one line each with its virtual time.
    public var trace: String { driving.withLock { _ in simulation.trace.text } }

    /// Sets up (on the driving thread) and runs an operation under the simulation until it finishes. The
    /// virtual-time budget is the operation's own timeout plus room for the closing handshake: a handler
    /// that never answers fails the call instead of hanging it.
    ///
    /// Then it settles: whatever is due at the same virtual instant runs before the call returns (the server's
    /// side of a close the client has just seen end, its `onClose` included), without moving the clock.
    func drive<T: Sendable>(
        timeout: Duration, _ prepare: () throws -> @Sendable () async throws -> T
    ) async throws -> T {
        let operation = try driving.withLock { _ in try prepare() }
        // While an application's own task decides something (Hummingbird's upgrade), the run suspends rather
        // than blocking this thread, which that task may need; each stretch of the run holds the lock.
        let result = try await simulation.runTask(
            timeout: timeout + .seconds(30), segments: { segment in driving.withLock { _ in segment() } }, operation)
        driving.withLock { _ in _ = simulation.run(until: simulation.now, maxEvents: 1_000_000) }
        return result
    }
}
