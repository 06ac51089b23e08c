public import Transport

/// Everything needed to run a failed case again, with or without its peer: the case and where it came from, the
/// parameters and seed it ran with, every byte both ways with its time (the `Tape`), and the result it got.
/// `wsspec run` writes one per failing case (`capsules/ID.json` in the report directory); `wsspec replay` plays it
/// back offline (`replay(_:)`) or runs the case again against a live server.
public struct Capsule: Sendable {
    /// The format's name and version: a reader refuses another.
    public static let format = "wsspec-capsule/1"

    /// Where the case is defined: the catalog (by id, in the wsspec that reads the capsule), or a scenario file whose
    /// text the capsule carries, so that it replays where the file is not.
    public enum Source: Sendable, Hashable {
        case catalog
        case scenarioFile(name: String, text: String)
    }

    /// The wsspec version that wrote it.
    public var toolVersion: String
    public var source: Source
    /// The server it ran against, as the run named it.
    public var target: String
    /// The run's seed, and the case's seed derived from it (the nonce and mask keys).
    public var runSeed: UInt64
    public var seed: UInt64
    /// The case's deadline as it ran (`--case-timeout` lowers it).
    public var deadline: Duration
    public var parameters: RunParameters
    /// Over HTTP/2, the `:scheme` of the extended CONNECT (`http`, `https`); nil over HTTP/1.1.
    public var http2Scheme: String?
    public var tape: Tape
    /// The result the case got, verdicts, reasons and all.
    public var result: CaseResult

    public init(
        toolVersion: String, source: Source, target: String, runSeed: UInt64, seed: UInt64, deadline: Duration,
        parameters: RunParameters, http2Scheme: String?, tape: Tape, result: CaseResult
    ) {
        self.toolVersion = toolVersion
        self.source = source
        self.target = target
        self.runSeed = runSeed
        self.seed = seed
        self.deadline = deadline
        self.parameters = parameters
        self.http2Scheme = http2Scheme
        self.tape = tape
        self.result = result
    }

    /// The file name of a case's capsule in a report's `capsules/` folder. Case ids are digits and dots
    /// (`CaseID`), so the name is safe as it is.
    public static func fileName(for id: CaseID) -> String { "\(id.rawValue).json" }

    /// The most bytes a capsule's tape keeps, both ways together (`Tape.defaultByteLimit`).
    public static var tapeByteLimit: Int { Tape.defaultByteLimit }

    /// What a replay must give again to count as the same failure: the two verdicts.
    public static func failureKey(_ result: CaseResult) -> String { "\(result.verdict)/\(result.closeVerdict)" }
}
