public import Transport
public import WebSocketCore
public import WireSim

/// Runs cases in-process against a server session over the simulated network: deterministic, and fast
/// because every wait is virtual.
public struct InProcessSuite: Sendable {
    /// The server each case connects to, fresh per connection.
    public var server: any InProcessServer
    /// How each case's client reaches it: the link as its connection (HTTP/1.1) unless told otherwise.
    public var connector: any InProcessConnector = LinkConnector()
    public var parameters: RunParameters
    /// The link's behaviour under a given seed. The default cuts and delays both directions at random.
    public var linkOptions: @Sendable (UInt64) -> LinkOptions

    public init(
        parameters: RunParameters = RunParameters(),
        linkOptions: @escaping @Sendable (UInt64) -> LinkOptions = InProcessSuite.seededLink,
        makeServer: @escaping @Sendable () -> any ServerSession
    ) {
        self.init(parameters: parameters, linkOptions: linkOptions, server: InProcessSessions(makeServer))
    }

    /// Runs the cases against any in-process server: sans-IO sessions, or an application on NIO's channel API.
    public init(
        parameters: RunParameters = RunParameters(),
        linkOptions: @escaping @Sendable (UInt64) -> LinkOptions = InProcessSuite.seededLink,
        server: any InProcessServer
    ) {
        self.server = server
        self.parameters = parameters
        self.linkOptions = linkOptions
    }

    /// Seed 0 is an ideal link (whole writes, no delay); every other seed draws segment sizes of 1–512
    /// bytes and latencies up to 2 ms.
    public static let seededLink: @Sendable (UInt64) -> LinkOptions = { seed in
        seed == 0 ? .ideal : LinkOptions(segmentation: .random(1...512), latency: .random(.zero...(.milliseconds(2))))
    }

    /// Runs one case under one run seed; the result carries the case's own seed.
    public func run(_ scenario: ScenarioCase, seed runSeed: UInt64 = 0) -> CaseResult {
        if let result = unimplemented(scenario, seed: runSeed) { return result }
        let work = connected(scenario)
        let setUp = prepare(work, seed: runSeed)
        let result = Result { try setUp.simulation.runTask(timeout: work.budget) { [self] in await runConnected(work, setUp) } }
        return finish(setUp, work, result)
    }

    /// The same, for async callers: while the server's own tasks hold virtual time (a framework deciding an
    /// upgrade) the run suspends instead of blocking a thread those tasks may need.
    public func runCase(_ scenario: ScenarioCase, seed runSeed: UInt64 = 0) async -> CaseResult {
        if let result = unimplemented(scenario, seed: runSeed) { return result }
        return await run(connected(scenario), seed: runSeed)
    }

    /// One case on a connection of its own, in a simulation of its own under the case's seed: the catalog's cases
    /// (`runCase`) and the HTTP/2 section's, which write their own frames on the connection, are driven here alike.
    public func run(_ work: ConnectedCase, seed runSeed: UInt64) async -> CaseResult {
        let setUp = prepare(work, seed: runSeed)
        let result: Result<CaseResult, any Error>
        do {
            result = .success(
                try await setUp.simulation.runTask(timeout: work.budget, segments: { $0() }) { [self] in
                    await runConnected(work, setUp)
                })
        } catch {
            result = .failure(error)
        }
        return finish(setUp, work, result)
    }

    /// A catalog case as work on a connection: the scenario runner over the transport (`body`, when given, runs it).
    func connected(
        _ scenario: ScenarioCase, body: (@Sendable (_ transport: any ByteTransport, _ seed: UInt64) async -> CaseResult)? = nil
    ) -> ConnectedCase {
        ConnectedCase(
            id: scenario.id, budget: scenario.deadline + parameters.closeTimeout * 3 + parameters.handshakeTimeout,
            notRun: { CaseResult.notRun(scenario, reason: $0, seed: $1) }
        ) { [parameters] transport, seed in
            if let body { return await body(transport, seed) }
            return await ScenarioRunner.run(scenario, on: transport, parameters: parameters, seed: seed)
        }
    }

    /// A case that cannot run here is answered at once (UNIMPLEMENTED, with its reason).
    func unimplemented(_ scenario: ScenarioCase, seed runSeed: UInt64) -> CaseResult? {
        CaseResult.unimplemented(scenario, parameters: parameters, seed: scenario.id.seed(inRun: runSeed))
    }

    /// Connects over the case's link and runs the case, in the simulation's task. A client that cannot connect
    /// does not run the case (NOT RUN, with the reason), as in a live run.
    private func runConnected(_ work: ConnectedCase, _ setUp: CaseSetUp) async -> CaseResult {
        let connection: InProcessClientConnection
        do {
            connection = try await connector.connect(over: setUp.link, timeout: parameters.handshakeTimeout)
        } catch {
            return work.notRun("\(error)", setUp.seed)
        }
        setUp.client.shutDown = connection.shutDown
        return await work.body(connection.transport, setUp.seed)
    }

    /// One case's simulation, link, server end and client end.
    private struct CaseSetUp: @unchecked Sendable {
        // Unchecked: the simulation and its objects are driven by one caller at a time.
        let simulation: Simulation
        let link: SimulatedLink
        let endpoint: any SimulatedServerEndpoint
        let client: ClientEnd
        let seed: UInt64
    }

    /// How the client's end of a case's connection is ended, once it is connected.
    private final class ClientEnd: @unchecked Sendable {
        // Unchecked: set in the simulation's task, read after it, never at once.
        var shutDown: @Sendable () -> Void = {}
    }

    private func prepare(_ work: ConnectedCase, seed runSeed: UInt64) -> CaseSetUp {
        let seed = work.id.seed(inRun: runSeed)
        let simulation = Simulation(seed: seed, tracing: false) // Results carry their own wire log.
        let link = SimulatedLink(simulation: simulation, options: linkOptions(runSeed == 0 ? 0 : seed))
        return CaseSetUp(simulation: simulation, link: link, endpoint: server.attach(to: link), client: ClientEnd(), seed: seed)
    }

    private func finish(_ setUp: CaseSetUp, _ work: ConnectedCase, _ outcome: Result<CaseResult, any Error>) -> CaseResult {
        var result: CaseResult
        switch outcome {
        case .success(let finished): result = finished
        case .failure(let error): result = work.notRun("the case did not finish under simulation: \(error)", setUp.seed)
        }
        // The link holds its endpoints weakly; what the server started for the connection ends with the case.
        setUp.endpoint.shutDown()
        setUp.client.shutDown()
        _ = setUp.simulation.run(until: setUp.simulation.now, maxEvents: 100_000)
        setUp.simulation.discardPendingEvents()
        result.seed = setUp.seed
        return result
    }

    /// Runs every case once under `seed`, `jobs` at a time; results come back in the cases' order and do
    /// not depend on `jobs`.
    public func run(_ cases: [ScenarioCase], seed: UInt64 = 0, jobs: Int = 1) async -> [CaseResult] {
        await ParallelCases.run(cases, jobs: jobs) { await runCase($0, seed: seed) }
    }

    /// A verdict that changed between seeds: the determinism of the server under test is in doubt, or the
    /// case depends on timing. `seed` replays it.
    public struct VerdictChange: Sendable, Hashable, CustomStringConvertible {
        public var id: CaseID
        public var seed: UInt64
        public var baseline: String
        public var changed: String
        public var description: String { "\(id): \(baseline) under the ideal link, \(changed) under run seed \(seed)" }
    }

    /// Runs every case under run seeds 0..<count and reports each case whose verdicts differ from seed 0.
    public func sweep(_ cases: [ScenarioCase], seeds count: Int, jobs: Int = 1) async -> (results: [CaseResult], changes: [VerdictChange]) {
        let baseline = await run(cases, seed: 0, jobs: jobs)
        var changes: [VerdictChange] = []
        for seed in 1..<UInt64(max(1, count)) {
            let results = await run(cases, seed: seed, jobs: jobs)
            for (base, other) in zip(baseline, results) where (base.verdict, base.closeVerdict) != (other.verdict, other.closeVerdict) {
                if !changes.contains(where: { $0.id == base.id }) {
                    changes.append(
                        VerdictChange(
                            id: base.id, seed: seed, baseline: "\(base.verdict)/\(base.closeVerdict)",
                            changed: "\(other.verdict)/\(other.closeVerdict)"))
                }
            }
        }
        return (baseline, changes)
    }
}

/// What one case does on its own connection (`InProcessSuite.run(_:seed:)`): its id (which gives its seed), the
/// virtual time it may take, what it does with the transport and its seed, and its result when it could not run.
public struct ConnectedCase: Sendable {
    public let id: CaseID
    public let budget: Duration
    public let notRun: @Sendable (_ reason: String, _ seed: UInt64) -> CaseResult
    public let body: @Sendable (_ transport: any ByteTransport, _ seed: UInt64) async -> CaseResult

    public init(
        id: CaseID, budget: Duration, notRun: @escaping @Sendable (_ reason: String, _ seed: UInt64) -> CaseResult,
        body: @escaping @Sendable (_ transport: any ByteTransport, _ seed: UInt64) async -> CaseResult
    ) {
        self.id = id
        self.budget = budget
        self.notRun = notRun
        self.body = body
    }
}
