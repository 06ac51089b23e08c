public import Scenario
public import Transport
public import WireSim

extension HTTP2SectionRunner {
    /// Runs the cases against an in-process server (one that takes HTTP/2 on its link: `InProcessSessionServer`),
    /// each over a simulated link of its own, `jobs` at a time, deterministic per run seed: the section under `--sim`.
    public func run(
        _ cases: [HTTP2Case], inProcess server: any InProcessServer, seed runSeed: UInt64 = 0, jobs: Int = 1,
        linkOptions: @escaping @Sendable (UInt64) -> LinkOptions = InProcessSuite.seededLink
    ) async -> [CaseResult] {
        await ParallelCases.run(cases, jobs: jobs) { scenario in
            await runInProcess(
                scenario, server: server, seed: scenario.id.seed(inRun: runSeed),
                link: linkOptions(runSeed == 0 ? 0 : scenario.id.seed(inRun: runSeed)))
        }
    }

    private func runInProcess(_ scenario: HTTP2Case, server: any InProcessServer, seed: UInt64, link options: LinkOptions) async -> CaseResult {
        let simulation = Simulation(seed: seed, tracing: false)
        let connection = SimulatedConnection(link: SimulatedLink(simulation: simulation, options: options))
        connection.endpoint = server.attach(to: connection.link)
        var result: CaseResult
        do {
            result = try await simulation.runTask(timeout: budget * 2, segments: { $0() }) { [self] in
                let transport = try await LinkConnector().connect(over: connection.link, timeout: parameters.handshakeTimeout).transport
                return await run(scenario, over: transport, seed: seed)
            }
        } catch {
            result = notRun(scenario, reason: "the case did not finish under simulation: \(error)", seed: seed)
        }
        connection.endpoint?.shutDown()
        _ = simulation.run(until: simulation.now, maxEvents: 100_000)
        simulation.discardPendingEvents()
        return result
    }
}

/// One case's link and the server's end of it, confined to the simulation's driving thread and the caller that
/// drives it, one at a time.
private final class SimulatedConnection: @unchecked Sendable {
    let link: SimulatedLink
    var endpoint: (any SimulatedServerEndpoint)?

    init(link: SimulatedLink) { self.link = link }
}
