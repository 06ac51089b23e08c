public import Transport

/// What a run needs to leave a failure capsule for each failing case: who writes it and where each case came from.
/// `run` is the one place a case runs recorded: live runs, fuzzing and in-process runs all go through it.
public struct CapsuleRecorder: Sendable {
    /// The wsspec version the capsules name.
    public var toolVersion: String
    /// Where a case is defined: the catalog unless this says a scenario file.
    public var source: @Sendable (CaseID) -> Capsule.Source
    /// Keeps a capsule and returns where, relative to the report directory; nil when it was not kept (the writer
    /// reports why).
    public var write: @Sendable (Capsule) -> String?
    /// A result gets a capsule when it fails the run under this strictness. A run keeps one for whatever fails it,
    /// strict or not (true: a capsule is cheap next to a rerun); fuzzing keeps one per finding, under its own --strict.
    public var strict = true

    public init(
        toolVersion: String, source: @escaping @Sendable (CaseID) -> Capsule.Source = { _ in .catalog },
        write: @escaping @Sendable (Capsule) -> String?
    ) {
        self.toolVersion = toolVersion
        self.source = source
        self.write = write
    }

    /// Runs `scenario` on `transport` with every call recorded; a result that fails the run (under `strict`) gets a
    /// capsule, named in `result.capsule`. The tape of a passing case goes with the transport.
    /// - Parameter seed: the case's seed (derived from `runSeed`).
    public func run(
        _ scenario: ScenarioCase, on transport: any ByteTransport, parameters: RunParameters, seed: UInt64, runSeed: UInt64,
        target: String, http2Scheme: String?, crossTalk: CrossTalkMonitor? = nil
    ) async -> CaseResult {
        let recording = RecordingTransport(transport)
        var result = await ScenarioRunner.run(scenario, on: recording, parameters: parameters, seed: seed, crossTalk: crossTalk)
        result.seed = seed
        if result.fails(strict: strict) {
            result.capsule = write(
                Capsule(
                    toolVersion: toolVersion, source: source(scenario.id), target: target, runSeed: runSeed, seed: seed,
                    deadline: scenario.deadline, parameters: parameters, http2Scheme: http2Scheme, tape: recording.tape,
                    result: result))
        }
        return result
    }
}
