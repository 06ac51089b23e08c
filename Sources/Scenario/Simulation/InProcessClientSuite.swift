public import Transport
public import WireSim

/// Runs cases in-process against a client over the simulated network: the script plays the server, and the
/// client under test connects, echoes every message it receives, and answers the closing handshake, as in
/// Autobahn|Testsuite's fuzzingserver. Deterministic per seed, and fast because every wait is virtual.
public struct InProcessClientSuite: Sendable {
    /// The client under test, on one connection: it writes its opening request over the transport, echoes what
    /// it receives, and returns when the connection is over. It runs on the simulation's executor, so it must
    /// wait only on the transport (or the simulation's clock), never on real time.
    public var runClient: @Sendable (any ByteTransport) async -> Void
    public var parameters: RunParameters
    public var linkOptions: @Sendable (UInt64) -> LinkOptions

    public init(
        parameters: RunParameters = RunParameters(),
        linkOptions: @escaping @Sendable (UInt64) -> LinkOptions = InProcessSuite.seededLink,
        runClient: @escaping @Sendable (any ByteTransport) async -> Void
    ) {
        self.runClient = runClient
        self.parameters = parameters
        self.linkOptions = linkOptions
    }

    /// Runs one case under one run seed; the result carries the case's own seed.
    public func run(_ scenario: ScenarioCase, seed runSeed: UInt64 = 0) -> CaseResult {
        let seed = scenario.id.seed(inRun: runSeed)
        if let result = CaseResult.unimplemented(scenario, parameters: parameters, seed: seed) { return result }
        let simulation = Simulation(seed: seed, tracing: false)
        defer { simulation.discardPendingEvents() }
        let link = SimulatedLink(simulation: simulation, options: linkOptions(runSeed == 0 ? 0 : seed))
        let server = SimulatedTransport(link: link, side: .b)
        let client = SimulatedTransport(link: link, side: .a)
        let parameters = parameters, runClient = runClient
        let clientTask = simulation.spawn { await runClient(client) }
        let budget = scenario.deadline + parameters.closeTimeout * 3 + parameters.handshakeTimeout
        var result: CaseResult
        do {
            result = try simulation.runTask(timeout: budget) {
                await ScenarioRunner.run(scenario, on: server, parameters: parameters, seed: seed, role: .server)
            }
        } catch {
            result = .notRun(scenario, reason: "the case did not finish under simulation: \(error)", seed: seed)
        }
        // The client is told the case is over, and the simulation runs until it has returned: a task left
        // suspended in a stopped simulation would never be freed.
        clientTask.cancel()
        _ = try? simulation.runTask(timeout: .seconds(600)) { _ = try? await clientTask.value }
        result.seed = seed
        return result
    }

    /// Runs every case once under `seed`, `jobs` at a time; results come back in the cases' order.
    public func run(_ cases: [ScenarioCase], seed: UInt64 = 0, jobs: Int = 1) async -> [CaseResult] {
        await ParallelCases.run(cases, jobs: jobs) { run($0, seed: seed) }
    }
}
