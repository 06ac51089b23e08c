public import Foundation
import WebSocketCore

/// Reads scenario files: the text form of the DSL, so users add cases without writing Swift. The format
/// is described in `docs/scenario-files.md`; examples are in `Fixtures/scenarios/`.
public enum ScenarioFileParser {
    /// Reads and parses a file; an unreadable file is an error that names it.
    public static func load(_ url: URL) throws(ScenarioFileError) -> [ScenarioCase] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ScenarioFileError(file: url.relativePath, line: 0, column: 0, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(text, file: url.relativePath)
    }

    public static func parse(_ text: String, file: String = "<input>") throws(ScenarioFileError) -> [ScenarioCase] {
        var state = ScenarioFileParserState(file: file)
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let tokens = try ScenarioFileTokenizer.tokens(line, lineNumber: offset + 1, file: file)
            guard !tokens.isEmpty else { continue }
            state.line = offset + 1
            try state.handle(tokens)
        }
        return try state.finish()
    }
}

/// The parser's progress through a file (its value readers are in ScenarioFileValues.swift).
struct ScenarioFileParserState {
    struct CaseDraft {
        var id: CaseID
        var title: String
        var line: Int
        var sends = ""
        var expectation = ""
        var rfc: [String] = []
        var requirement = Requirement.must
        var checks: Set<Check> = []
        var closing = ClosingBehaviour.clientCloses()
        var deadline: Duration = .seconds(30)
        var steps: [Step] = []
    }

    let file: String
    var line = 0
    var cases: [ScenarioCase] = []
    var draft: CaseDraft?
    var alternatives: [Alternative]?
    var seenIDs: Set<CaseID> = []

    init(file: String) { self.file = file }

    func error(_ message: String, _ token: ScenarioToken? = nil) -> ScenarioFileError {
        ScenarioFileError(file: file, line: line, column: token?.column ?? 1, message: message)
    }

    mutating func handle(_ tokens: [ScenarioToken]) throws(ScenarioFileError) {
        let keyword = tokens[0]
        let arguments = Array(tokens.dropFirst())
        guard keyword.kind == .word else { throw error("expected a keyword, found a string", keyword) }
        if keyword.text == "case" { return try beginCase(arguments, keyword) }
        guard draft != nil else { throw error("'\(keyword.text)' outside a case (start one with: case ID \"title\")", keyword) }
        switch keyword.text {
        case "end":
            try expectCount(arguments, 0, keyword)
            if let alternatives {
                guard !alternatives.isEmpty else { throw error("one-of needs at least one option", keyword) }
                draft!.steps.append(.oneOf(alternatives))
                self.alternatives = nil
            } else {
                try endCase()
            }
        case "one-of":
            try expectCount(arguments, 0, keyword)
            guard alternatives == nil else { throw error("one-of cannot be nested", keyword) }
            alternatives = []
        case "option":
            guard alternatives != nil else { throw error("'option' outside one-of", keyword) }
            guard arguments.count == 2, arguments[1].kind == .string else { throw error("expected: option VERDICT \"label\"", keyword) }
            guard let verdict = Verdict.allCases.first(where: { $0.rawValue.lowercased() == arguments[0].text.lowercased() }) else {
                throw error("unknown verdict '\(arguments[0].text)' (ok, non-strict, informational, unimplemented, failed)", arguments[0])
            }
            alternatives!.append(Alternative(verdict, arguments[1].text, expectations: []))
        case "expect":
            let expectation = try parseExpectation(arguments, keyword)
            if alternatives != nil {
                guard !alternatives!.isEmpty else { throw error("an expectation in one-of must follow an 'option' line", keyword) }
                alternatives![alternatives!.count - 1].expectations.append(expectation)
            } else {
                draft!.steps.append(.expect(expectation))
            }
        default:
            guard alternatives == nil else { throw error("only 'option' and 'expect' lines may appear in one-of", keyword) }
            try handleCaseLine(keyword, arguments)
        }
    }

    mutating func beginCase(_ arguments: [ScenarioToken], _ keyword: ScenarioToken) throws(ScenarioFileError) {
        guard draft == nil else { throw error("a case starts before the previous one ends (missing 'end')", keyword) }
        guard arguments.count == 2, arguments[1].kind == .string else { throw error("expected: case ID \"title\"", keyword) }
        guard let id = CaseID(parsing: arguments[0].text) else {
            throw error("'\(arguments[0].text)' is not a case id (dotted numbers, e.g. 100.1)", arguments[0])
        }
        guard !seenIDs.contains(id) else { throw error("case \(id) is defined twice", arguments[0]) }
        seenIDs.insert(id)
        draft = CaseDraft(id: id, title: arguments[1].text, line: line)
    }

    mutating func endCase() throws(ScenarioFileError) {
        let done = draft!
        draft = nil
        guard !done.steps.isEmpty else { throw error("case \(done.id) has no steps") }
        let scenario = ScenarioCase(
            done.id, done.title, sends: done.sends.isEmpty ? done.title : done.sends,
            expectation: done.expectation, rfc: done.rfc, requirement: done.requirement,
            checks: done.checks, closing: done.closing, deadline: done.deadline
        ) { done.steps }
        // A method, version or header changed on purpose exists only in the HTTP/1.1 upgrade: over HTTP/2 such a case
        // is UNIMPLEMENTED, as the catalog's 0.x are, never a request sent without its flaw.
        cases.append(scenario.handshake.changesTheHTTP1Request ? scenario.about(.http1Upgrade) : scenario)
    }

    func finish() throws(ScenarioFileError) -> [ScenarioCase] {
        if let draft { throw ScenarioFileError(file: file, line: draft.line, column: 1, message: "case \(draft.id) is never ended ('end')") }
        return cases
    }

    mutating func handleCaseLine(_ keyword: ScenarioToken, _ arguments: [ScenarioToken]) throws(ScenarioFileError) {
        switch keyword.text {
        case "sends", "expectation", "rfc":
            guard arguments.count == 1, arguments[0].kind == .string else { throw error("expected: \(keyword.text) \"text\"", keyword) }
            switch keyword.text {
            case "sends": draft!.sends = arguments[0].text
            case "expectation": draft!.expectation = arguments[0].text
            default: draft!.rfc.append(arguments[0].text)
            }
        case "requirement":
            try expectCount(arguments, 1, keyword)
            guard let level = Requirement.allCases.first(where: { $0.rawValue.lowercased() == arguments[0].text.lowercased() }) else {
                throw error("unknown requirement '\(arguments[0].text)' (must, should, may)", arguments[0])
            }
            draft!.requirement = level
        case "checks":
            for argument in arguments {
                guard let check = Check(rawValue: argument.text) else {
                    throw error("unknown check '\(argument.text)' (known: \(Check.knownNames))", argument)
                }
                draft!.checks.insert(check)
            }
        case "deadline":
            try expectCount(arguments, 1, keyword)
            draft!.deadline = try duration(arguments[0])
        case "closing":
            guard let mode = arguments.first else { throw error("expected: closing normal [CODE] | fails CODE… | informational", keyword) }
            switch mode.text {
            case "normal":
                let code = try arguments.count > 1 ? closeCode(arguments[1]) : 1000
                draft!.closing = .clientCloses(code: code, answers: [1000, code])
            case "fails": draft!.closing = .peerFails(codes: Set(try codes(Array(arguments.dropFirst()), keyword)))
            case "informational": draft!.closing = .informational
            default: throw error("unknown closing '\(mode.text)' (normal, fails, informational)", mode)
            }
        case "open":
            draft!.steps.append(.open(try parseOpen(arguments, keyword)))
        case "round-trips":
            draft!.steps.append(.roundTrips(try parseRoundTrips(arguments, keyword)))
        case "send":
            draft!.steps.append(try parseSend(arguments, keyword))
        case "chop":
            guard let size = arguments.first else { throw error("expected: chop SIZE [DELAY] | chop off", keyword) }
            if size.text == "off" {
                draft!.steps.append(.segmentWrites(size: nil, delay: .zero))
            } else {
                guard let count = Int(size.text), count > 0 else { throw error("expected a positive segment size", size) }
                draft!.steps.append(.segmentWrites(size: count, delay: try arguments.count > 1 ? duration(arguments[1]) : .zero))
            }
        case "wait":
            try expectCount(arguments, 1, keyword)
            draft!.steps.append(.wait(try duration(arguments[0])))
        case "needs":
            guard arguments.count == 1, arguments[0].text == "permessage-deflate" else {
                throw error("expected: needs permessage-deflate", arguments.first ?? keyword)
            }
            draft!.steps.append(.needsCompression)
        case "answer-pings", "answer-close":
            try expectCount(arguments, 1, keyword)
            guard ["on", "off"].contains(arguments[0].text) else { throw error("expected on or off", arguments[0]) }
            let on = arguments[0].text == "on"
            draft!.steps.append(keyword.text == "answer-pings" ? .answerPings(on) : .answerClose(on))
        default:
            throw error("unknown keyword '\(keyword.text)'", keyword)
        }
    }

    /// `round-trips text|binary PAYLOAD SIZE COUNT [fragment N] [compressed] [timeout DURATION]`: COUNT
    /// messages of SIZE bytes cut from PAYLOAD (repeated as needed), each sent after the previous echo.
    func parseRoundTrips(_ arguments: [ScenarioToken], _ keyword: ScenarioToken) throws(ScenarioFileError) -> RoundTrips {
        let usage = "expected: round-trips text|binary PAYLOAD SIZE COUNT [fragment N] [compressed] [timeout DURATION]"
        guard arguments.count >= 4 else { throw error(usage, arguments.first ?? keyword) }
        guard let opcode = ["text": Opcode.text, "binary": .binary][arguments[0].text] else { throw error("expected text or binary", arguments[0]) }
        let payload = try data([arguments[1]], arguments[1])
        guard !payload.isEmpty else { throw error("the payload must not be empty", arguments[1]) }
        // Messages are slices of the payload, so text must be ASCII for every slice to be valid UTF-8.
        if opcode == .text && !payload.allSatisfy({ $0 < 0x80 }) {
            throw error("a text payload for round trips must be ASCII (messages are slices of it)", arguments[1])
        }
        func positive(_ token: ScenarioToken, _ what: String, most: Int) throws(ScenarioFileError) -> Int {
            guard let value = Int(token.text), value > 0, value <= most else { throw error("\(what) is a whole number from 1 to \(most)", token) }
            return value
        }
        var trips = RoundTrips(
            opcode, size: try positive(arguments[2], "SIZE", most: 64 << 20),
            count: try positive(arguments[3], "COUNT", most: 1_000_000), corpus: MessageCorpus(name: "scenario file payload", bytes: payload))
        var index = 4
        while index < arguments.count {
            let option = arguments[index]
            switch option.text {
            case "compressed":
                trips.compressed = true
                index += 1
            case "fragment", "timeout":
                guard index + 1 < arguments.count else { throw error("'\(option.text)' needs a value", option) }
                if option.text == "fragment" {
                    trips.fragmentSize = try positive(arguments[index + 1], "the fragment size", most: 64 << 20)
                } else {
                    trips.timeout = try duration(arguments[index + 1])
                }
                index += 2
            default: throw error("unknown round-trips option '\(option.text)' (fragment, compressed, timeout)", option)
            }
        }
        return trips
    }

    func parseSend(_ arguments: [ScenarioToken], _ keyword: ScenarioToken) throws(ScenarioFileError) -> Step {
        guard let kind = arguments.first else { throw error("expected: send text|binary|ping|pong|close|raw|fragmented|frame …", keyword) }
        let rest = Array(arguments.dropFirst())
        switch kind.text {
        case "text", "binary", "ping", "pong", "raw":
            let payload = try rest.isEmpty && kind.text != "text" && kind.text != "binary" ? [] : data(rest, kind)
            switch kind.text {
            case "text": return .send(FrameSpec(opcode: .text, payload: payload))
            case "binary": return .send(FrameSpec(opcode: .binary, payload: payload))
            case "ping": return .send(FrameSpec(opcode: .ping, payload: payload))
            case "pong": return .send(FrameSpec(opcode: .pong, payload: payload))
            default: return .sendRaw(payload)
            }
        case "close":
            guard let first = rest.first else { return .send(.close(code: 1000)) }
            if first.text == "none" && first.kind == .word {
                return .send(.close(code: nil, reason: try rest.count > 1 ? data([rest[1]], first) : []))
            }
            let code = try closeCode(first)
            return .send(.close(code: code, reason: try rest.count > 1 ? data([rest[1]], first) : []))
        case "fragmented":
            guard rest.count == 3, let parts = Int(rest[2].text), parts > 0 else {
                throw error("expected: send fragmented text|binary PAYLOAD PARTS", kind)
            }
            guard let opcode = ["text": Opcode.text, "binary": .binary][rest[0].text] else { throw error("expected text or binary", rest[0]) }
            return .sendFragmented(opcode, try data([rest[1]], rest[0]), fragments: parts)
        case "frame":
            var spec = FrameSpec(opcode: .text)
            for field in rest {
                let pair = field.text.split(separator: "=", maxSplits: 1).map(String.init)
                guard pair.count == 2 else { throw error("expected NAME=VALUE", field) }
                let value = pair[1]
                func flag() throws(ScenarioFileError) -> Bool {
                    guard value == "0" || value == "1" else { throw error("\(pair[0]) is 0 or 1", field) }
                    return value == "1"
                }
                switch pair[0] {
                case "opcode":
                    guard let raw = UInt8(value), raw < 16 else { throw error("opcode is 0…15", field) }
                    spec.frame.opcode = Opcode(rawValue: raw)
                case "fin": spec.frame.fin = try flag()
                case "rsv1": spec.frame.rsv1 = try flag()
                case "rsv2": spec.frame.rsv2 = try flag()
                case "rsv3": spec.frame.rsv3 = try flag()
                case "mask":
                    guard value == "auto" || value == "none" else { throw error("mask is auto or none", field) }
                    spec.masking = value == "auto" ? .automatic : .unmasked
                case "length":
                    guard let encoding = ["7": LengthEncoding.sevenBit, "16": .sixteenBit, "64": .sixtyFourBit][value] else {
                        throw error("length is 7, 16 or 64", field)
                    }
                    spec.lengthEncoding = encoding
                case "payload":
                    var token = field
                    token.text = value
                    token.bytes = Array(value.utf8)
                    if value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") {
                        token.kind = .string
                        token.bytes = Array(value.dropFirst().dropLast().utf8)
                    }
                    spec.frame.payload = try data([token], field)
                default: throw error("unknown frame field '\(pair[0])'", field)
                }
            }
            return .send(spec)
        default:
            throw error("unknown send kind '\(kind.text)'", kind)
        }
    }

    func parseExpectation(_ arguments: [ScenarioToken], _ keyword: ScenarioToken) throws(ScenarioFileError) -> Expectation {
        guard let kind = arguments.first else { throw error("expected: expect text|binary|pong|ping|close|failure|nothing|disconnect …", keyword) }
        var rest = Array(arguments.dropFirst())
        var within = defaultExpectationDeadline
        if let index = rest.firstIndex(where: { $0.kind == .word && $0.text == "within" }) {
            guard index + 1 < rest.count else { throw error("'within' needs a duration", rest[index]) }
            within = try duration(rest[index + 1])
            rest.removeSubrange(index...(index + 1))
        }
        switch kind.text {
        case "text":
            let payload = try data(rest, kind)
            return .message(
                .matching("text message \(ObservedEvent.summarize(payload, asText: true))") { $0 == .text && $1 == payload },
                within: within)
        case "binary": return .message(.binary(try data(rest, kind)), within: within)
        case "pong": return .pong(rest.isEmpty ? nil : try data(rest, kind), within: within)
        case "ping": return .ping(within: within)
        case "close": return .close(codes: rest.isEmpty ? nil : Set(try codes(rest, kind)), within: within)
        case "failure": return .failure(codes: Set(try codes(rest, kind)), within: within)
        case "disconnect": return .disconnect(within: within)
        case "nothing":
            guard rest.count == 1 else { throw error("expected: expect nothing DURATION", kind) }
            return .nothing(for: try duration(rest[0]))
        default: throw error("unknown expectation '\(kind.text)'", kind)
        }
    }
}
