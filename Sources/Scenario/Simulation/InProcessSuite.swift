public import Transport
public import WebSocketCore
public import WireSim

/// Runs cases in-process against a server session over the simulated network: deterministic, and fast
/// because every wait is virtual.
public struct InProcessSuite: Sendable {
    /// The server each case connects to, fresh per connection.
    public var server: any InProcessServer
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
        let setUp: CaseSetUp
        switch prepare(scenario, seed: runSeed) {
        case .unimplemented(let result): return result
        case .ready(let ready): setUp = ready
        }
        let result = Result {
            try setUp.simulation.runTask(timeout: setUp.budget) { [parameters] in
                await ScenarioRunner.run(scenario, on: setUp.transport, parameters: parameters, seed: setUp.seed)
            }
        }
        return finish(setUp, scenario, result)
    }

    /// The same, for async callers: while the server's own tasks hold virtual time (a framework deciding an
    /// upgrade) the run suspends instead of blocking a thread those tasks may need.
    public func runCase(_ scenario: ScenarioCase, seed runSeed: UInt64 = 0) async -> CaseResult {
        let setUp: CaseSetUp
        switch prepare(scenario, seed: runSeed) {
        case .unimplemented(let result): return result
        case .ready(let ready): setUp = ready
        }
        let parameters = parameters
        let transport = setUp.transport
        let result: Result<CaseResult, any Error>
        do {
            result = .success(
                try await setUp.simulation.runTask(timeout: setUp.budget, segments: { $0() }) {
                    await ScenarioRunner.run(scenario, on: transport, parameters: parameters, seed: setUp.seed)
                })
        } catch {
            result = .failure(error)
        }
        return finish(setUp, scenario, result)
    }

    /// One case's simulation, link, server end and client transport.
    private struct CaseSetUp: @unchecked Sendable {
        // Unchecked: the simulation and its objects are driven by one caller at a time.
        let simulation: Simulation
        let endpoint: any SimulatedServerEndpoint
        let transport: SimulatedTransport
        let seed: UInt64
        let budget: Duration
    }

    /// A case that cannot run here is answered at once (UNIMPLEMENTED, with its reason).
    private enum Preparation {
        case ready(CaseSetUp)
        case unimplemented(CaseResult)
    }

    private func prepare(_ scenario: ScenarioCase, seed runSeed: UInt64) -> Preparation {
        let seed = scenario.id.seed(inRun: runSeed)
        if let result = CaseResult.unimplemented(scenario, parameters: parameters, seed: seed) { return .unimplemented(result) }
        let simulation = Simulation(seed: seed, tracing: false) // Results carry their own wire log.
        let link = SimulatedLink(simulation: simulation, options: linkOptions(runSeed == 0 ? 0 : seed))
        return .ready(
            CaseSetUp(
                simulation: simulation, endpoint: server.attach(to: link), transport: SimulatedTransport(link: link), seed: seed,
                budget: scenario.deadline + parameters.closeTimeout * 3 + parameters.handshakeTimeout))
    }

    private func finish(_ setUp: CaseSetUp, _ scenario: ScenarioCase, _ outcome: Result<CaseResult, any Error>) -> CaseResult {
        var result: CaseResult
        switch outcome {
        case .success(let finished): result = finished
        case .failure(let error):
            result = .notRun(scenario, reason: "the case did not finish under simulation: \(error)", seed: setUp.seed)
        }
        // The link holds its endpoints weakly; what the server started for the connection ends with the case.
        setUp.endpoint.shutDown()
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
