public import Scenario
public import Transport
public import WireSim

extension HTTP2SectionRunner {
    /// Runs the cases against an in-process server (one that takes HTTP/2 on its link: `InProcessSessionServer`),
    /// each over a simulated link of its own, `jobs` at a time, deterministic per run seed: the section under `--sim`.
    /// The link itself is the connection (`LinkConnector`): the probe writes its own HTTP/2 frames on it.
    public func run(
        _ cases: [HTTP2Case], inProcess server: any InProcessServer, seed runSeed: UInt64 = 0, jobs: Int = 1,
        linkOptions: @escaping @Sendable (UInt64) -> LinkOptions = InProcessSuite.seededLink
    ) async -> [CaseResult] {
        let suite = InProcessSuite(parameters: parameters, linkOptions: linkOptions, server: server)
        return await ParallelCases.run(cases, jobs: jobs) { scenario in
            let work = ConnectedCase(
                id: scenario.id, budget: budget * 2, notRun: { notRun(scenario, reason: $0, seed: $1) }
            ) { transport, seed in
                await run(scenario, over: transport, seed: seed)
            }
            return await suite.run(work, seed: runSeed)
        }
    }
}
