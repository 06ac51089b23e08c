public import Foundation
import Transport
import WebSocketCore

// A capsule as JSON: its format name first, bytes as hex, times in nanoseconds from the connection's start.
extension Capsule: Codable {
    private enum CodingKeys: String, CodingKey {
        case format, wsspec, source, scenarioFile, scenarioText, target, runSeed, seed, deadline, parameters
        case http2Scheme, complete, tape, result
    }

    /// A file that is not a capsule this wsspec reads, with the cause.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Reads a capsule; anything else (not JSON, another format, a damaged tape) is a `ReadError` that says what.
    public static func read(_ data: Data, name: String) throws(ReadError) -> Capsule {
        do {
            return try JSONDecoder().decode(Capsule.self, from: data)
        } catch let error as DecodingError {
            throw ReadError(description: "\(name) is not a capsule wsspec can read: \(Self.describe(error))")
        } catch {
            throw ReadError(description: "\(name) is not a capsule wsspec can read: \(error)")
        }
    }

    /// The capsule as JSON, keys sorted, so that the same run writes the same file.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let format = try container.decode(String.self, forKey: .format)
        guard format == Self.format else {
            throw DecodingError.dataCorruptedError(
                forKey: .format, in: container, debugDescription: "its format is \(format.debugDescription), this wsspec reads \(Self.format)")
        }
        toolVersion = try container.decode(String.self, forKey: .wsspec)
        if let name = try container.decodeIfPresent(String.self, forKey: .scenarioFile) {
            source = .scenarioFile(name: name, text: try container.decode(String.self, forKey: .scenarioText))
        } else {
            source = .catalog
        }
        target = try container.decode(String.self, forKey: .target)
        runSeed = try container.decode(UInt64.self, forKey: .runSeed)
        seed = try container.decode(UInt64.self, forKey: .seed)
        let deadline = try container.decode(Int64.self, forKey: .deadline)
        guard deadline >= 0 else { throw DecodingError.dataCorruptedError(forKey: .deadline, in: container, debugDescription: "a negative deadline") }
        self.deadline = .nanoseconds(deadline)
        parameters = try container.decode(RunParameters.self, forKey: .parameters)
        http2Scheme = try container.decodeIfPresent(String.self, forKey: .http2Scheme)
        let entries = try container.decode([TapeEntryCoding].self, forKey: .tape).map { try $0.entry }
        tape = Tape(entries: entries, complete: try container.decode(Bool.self, forKey: .complete))
        result = try container.decode(CaseResult.self, forKey: .result)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.format, forKey: .format)
        try container.encode(toolVersion, forKey: .wsspec)
        if case .scenarioFile(let name, let text) = source {
            try container.encode(name, forKey: .scenarioFile)
            try container.encode(text, forKey: .scenarioText)
        }
        try container.encode(target, forKey: .target)
        try container.encode(runSeed, forKey: .runSeed)
        try container.encode(seed, forKey: .seed)
        try container.encode(deadline.nanoseconds, forKey: .deadline)
        try container.encode(parameters, forKey: .parameters)
        try container.encodeIfPresent(http2Scheme, forKey: .http2Scheme)
        try container.encode(tape.complete, forKey: .complete)
        try container.encode(tape.entries.map(TapeEntryCoding.init), forKey: .tape)
        try container.encode(result, forKey: .result)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "" : " at \(keys)"
        }
        switch error {
        case .dataCorrupted(let context): return context.debugDescription + path(context)
        case .keyNotFound(let key, let context): return "\(key.stringValue) is missing" + path(context)
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return context.debugDescription + path(context)
        @unknown default: return "\(error)"
        }
    }
}

/// One tape entry as JSON: `{"ns": 1200, "op": "read", "hex": "8105..."}`. Ops: `write` (with `refused` when the
/// peer read nothing by its deadline), `read`, `end`, `reset`, `timeout`, `close`, `abort`, `request` and `response`
/// (HTTP/2 header lists, as `fields`), `response-end`, `response-reset`, `response-timeout`.
private struct TapeEntryCoding: Codable {
    var ns: Int64
    var op: String
    var hex: String?
    var refused: Bool?
    var fields: [[String]]?

    init(_ entry: Tape.Entry) {
        ns = entry.at.nanoseconds
        switch entry.event {
        case .write(let bytes, let accepted):
            op = "write"
            hex = Hex.encode(bytes)
            refused = accepted ? nil : true
        case .read(.bytes(let bytes)):
            op = "read"
            hex = Hex.encode(bytes)
        case .read(.endOfStream): op = "end"
        case .read(.reset): op = "reset"
        case .read(.timedOut): op = "timeout"
        case .close: op = "close"
        case .abort: op = "abort"
        case .requestFields(let list):
            op = "request"
            fields = list.map { [$0.name, $0.value] }
        case .response(.headers(let list)):
            op = "response"
            fields = list.map { [$0.name, $0.value] }
        case .response(.ended(let reset)): op = reset ? "response-reset" : "response-end"
        case .response(.timedOut): op = "response-timeout"
        }
    }

    var entry: Tape.Entry {
        get throws {
            func bytes() throws -> [UInt8] {
                guard let bytes = hex.flatMap(Hex.decode) else { throw Self.corrupt("\(op) at \(ns) ns has no even-length hex") }
                return bytes
            }
            func list() throws -> [ExtendedConnect.Field] {
                guard let fields, fields.allSatisfy({ $0.count == 2 }) else { throw Self.corrupt("\(op) at \(ns) ns has no [name, value] fields") }
                return fields.map { ($0[0], $0[1]) }
            }
            let event: Tape.Event
            switch op {
            case "write": event = .write(try bytes(), accepted: refused != true)
            case "read": event = .read(.bytes(try bytes()))
            case "end": event = .read(.endOfStream)
            case "reset": event = .read(.reset)
            case "timeout": event = .read(.timedOut)
            case "close": event = .close
            case "abort": event = .abort
            case "request": event = .requestFields(try list())
            case "response": event = .response(.headers(try list()))
            case "response-end": event = .response(.ended(reset: false))
            case "response-reset": event = .response(.ended(reset: true))
            case "response-timeout": event = .response(.timedOut)
            default: throw Self.corrupt("unknown tape op \(op.debugDescription)")
            }
            return Tape.Entry(at: .nanoseconds(ns), event: event)
        }
    }

    private static func corrupt(_ what: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: [], debugDescription: what))
    }
}

extension Duration {
    /// Whole nanoseconds, saturating: how capsules keep times.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).overflow ? .max : scaled + attoseconds / 1_000_000_000
    }
}
