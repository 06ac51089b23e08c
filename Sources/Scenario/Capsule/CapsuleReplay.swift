import Transport

/// A capsule's case run again, and how its result compares with the recorded one.
public struct CapsuleReplay: Sendable {
    public var recorded: CaseResult
    public var replayed: CaseResult
    /// Offline: the first point where the runner did not do what the tape holds (another wsspec, or a case changed
    /// since); nil when the playback was faithful. Live replays leave it nil.
    public var divergence: String?

    public init(recorded: CaseResult, replayed: CaseResult, divergence: String?) {
        self.recorded = recorded
        self.replayed = replayed
        self.divergence = divergence
    }

    /// Whether the replay gave the recorded failure again (`Capsule.failureKey`).
    public var reproduced: Bool { Capsule.failureKey(recorded) == Capsule.failureKey(replayed) }
}

extension Capsule {
    /// The case as the capsule ran it: `scenario` (the catalog's or the scenario file's) with the recorded deadline.
    public func prepared(_ scenario: ScenarioCase) -> ScenarioCase {
        var scenario = scenario
        scenario.deadline = deadline
        return scenario
    }

    /// Plays the tape back against the runner, offline and deterministically: same case, parameters and seed, the
    /// peer's recorded bytes at their recorded times. With the wsspec that recorded it the runner takes the same
    /// path, and the verdict is the recorded one; a difference says the grading changed.
    public func replay(_ scenario: ScenarioCase) async -> CapsuleReplay {
        let transport = PlaybackTransport(tape, http2Scheme: http2Scheme)
        var replayed = await ScenarioRunner.run(prepared(scenario), on: transport, parameters: parameters, seed: seed)
        replayed.seed = seed
        var divergence = transport.divergence
        if divergence == nil, !transport.consumedTape {
            divergence = "the runner finished before the tape did"
        }
        if !tape.complete {
            divergence = (divergence.map { $0 + "; " } ?? "") + "the tape kept only its first \(Capsule.tapeByteLimit >> 20) MiB of bytes"
        }
        return CapsuleReplay(recorded: result, replayed: replayed, divergence: divergence)
    }
}
