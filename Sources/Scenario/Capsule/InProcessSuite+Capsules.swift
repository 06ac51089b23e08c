import Transport

extension InProcessSuite {
    /// Runs one case as `runCase` does, with its connection recorded: a failing case leaves a capsule through
    /// `recorder` (fuzzing under `--sim`, and the tests that replay in-process runs).
    public func runRecorded(
        _ scenario: ScenarioCase, seed runSeed: UInt64, recorder: CapsuleRecorder, target: String = "an in-process server"
    ) async -> CaseResult {
        if let result = unimplemented(scenario, seed: runSeed) { return result }
        let parameters = parameters
        let work = connected(scenario) { transport, seed in
            await recorder.run(
                scenario, on: transport, parameters: parameters, seed: seed, runSeed: runSeed,
                target: target, http2Scheme: nil)
        }
        return await run(work, seed: runSeed)
    }
}
