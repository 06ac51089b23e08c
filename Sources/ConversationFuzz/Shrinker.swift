public import Scenario
import WebSocketCore

/// Minimises a failing conversation against its peer: drop turns (ddmin), then drop pings, merge fragments and
/// coalesce writes, then shrink payloads, then simplify the ending. Candidates are conversations, so every one
/// renders consistently (lengths, FIN, masks by the runner, compression by the runner's negotiated state). A candidate
/// counts only if the reference implementation passes it (so its expectations still hold: dropping the first fragment
/// of "a data frame inside a fragmented message" leaves a valid message, which a conforming peer echoes) and the peer
/// gives the same `FindingKey` `reproductions` times in a row; the peer is probed healthy first.
/// Deterministic given the conversation and the peer's answers.
public struct Shrinker: Sendable {
    public var reproductions = 3
    /// Whether NON-STRICT verdicts and advisories fail (the run's `--strict`): the finding is one under the same rule.
    public var strict = false
    /// Runs a conversation against the peer.
    public var reproduce: @Sendable (Conversation) async -> CaseResult
    /// Whether the peer takes a plain WebSocket at all (a crashed peer reproduces everything, and proves nothing).
    public var healthy: @Sendable () async -> Bool
    /// Runs a conversation against the reference implementation (in-process): a candidate it fails is not a
    /// conversation whose expectations hold, whatever the peer does.
    public var reference: @Sendable (Conversation) async -> CaseResult
    /// Hears of each accepted step.
    public var log: @Sendable (String) -> Void = { _ in }

    public init(
        reproduce: @escaping @Sendable (Conversation) async -> CaseResult, reference: @escaping @Sendable (Conversation) async -> CaseResult,
        healthy: @escaping @Sendable () async -> Bool
    ) {
        self.reproduce = reproduce
        self.reference = reference
        self.healthy = healthy
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case unhealthy
        case doesNotReproduce(expected: String, got: String)

        public var description: String {
            switch self {
            case .unhealthy: "the peer does not take a plain WebSocket (is it down?): nothing can be shrunk against it"
            case .doesNotReproduce(let expected, let got):
                "the conversation does not fail the same way again (recorded: \(expected); now: \(got)), so it cannot be shrunk"
            }
        }
    }

    public struct Outcome: Sendable {
        public var conversation: Conversation
        public var key: String
        /// Candidates tried, and runs made in all.
        public var candidates = 0
        public var runs = 0
    }

    public func shrink(_ conversation: Conversation, key: String) async throws(Failure) -> Outcome {
        guard await healthy() else { throw .unhealthy }
        var outcome = Outcome(conversation: conversation, key: key)
        let first = await reproduce(conversation)
        outcome.runs += 1
        guard FindingKey.of(first) == key else { throw .doesNotReproduce(expected: key, got: FindingKey.of(first)) }
        var current = conversation
        // Each pass until nothing changes: a later pass can make an earlier one's candidates work.
        var changed = true
        while changed {
            changed = false
            for pass in [dropTurns, simplifyTurns, simplifyEnding] {
                if let smaller = await pass(current, &outcome) {
                    current = smaller
                    changed = true
                }
            }
        }
        outcome.conversation = current
        return outcome
    }

    /// Whether the reference implementation passes `candidate` and the peer fails it the same way `reproductions` times in
    /// a row.
    func holds(_ candidate: Conversation, _ outcome: inout Outcome) async -> Bool {
        outcome.candidates += 1
        guard !(await reference(candidate)).fails(strict: strict) else { return false }
        for _ in 0..<reproductions {
            outcome.runs += 1
            guard FindingKey.of(await reproduce(candidate)) == outcome.key else { return false }
        }
        return true
    }

    /// Tries candidates in order; takes the first that holds.
    func first(_ candidates: [Conversation], _ outcome: inout Outcome, _ what: String) async -> Conversation? {
        for candidate in candidates where candidate != outcome.conversation {
            if await holds(candidate, &outcome) {
                log("\(what): \(candidate.frameCount) frames")
                outcome.conversation = candidate
                return candidate
            }
        }
        return nil
    }

    // MARK: Passes

    /// ddmin over the turns: remove chunks, halving the chunk size when none can go.
    func dropTurns(_ conversation: Conversation, _ outcome: inout Outcome) async -> Conversation? {
        outcome.conversation = conversation
        var current = conversation
        var chunks = 2
        var shrunk = false
        while !current.turns.isEmpty {
            let size = max(1, (current.turns.count + chunks - 1) / chunks)
            let candidates = stride(from: 0, to: current.turns.count, by: size).map { start in
                var candidate = current
                candidate.turns.removeSubrange(start..<min(start + size, current.turns.count))
                return candidate
            }
            if let smaller = await first(candidates, &outcome, "dropped turns") {
                current = smaller
                shrunk = true
                chunks = max(chunks - 1, 2)
            } else if size == 1 {
                break
            } else {
                chunks = min(chunks * 2, current.turns.count)
            }
        }
        return shrunk ? current : nil
    }

    /// Per turn: no pings, one fragment, whole writes, no compression offer, then half the payload.
    func simplifyTurns(_ conversation: Conversation, _ outcome: inout Outcome) async -> Conversation? {
        outcome.conversation = conversation
        var current = conversation
        var shrunk = false
        if current.deflate != nil, !current.needsCompression {
            var candidate = current
            candidate.deflate = nil
            if let smaller = await first([candidate], &outcome, "no permessage-deflate offer") {
                current = smaller
                shrunk = true
            }
        }
        for index in current.turns.indices {
            while let smaller = await first(Self.simpler(current, turn: index), &outcome, "simplified turn \(index + 1)") {
                current = smaller
                shrunk = true
            }
        }
        return shrunk ? current : nil
    }

    static func simpler(_ conversation: Conversation, turn index: Int) -> [Conversation] {
        func with(_ turn: Conversation.Turn) -> Conversation {
            var candidate = conversation
            candidate.turns[index] = turn
            return candidate
        }
        switch conversation.turns[index] {
        case .message(var message, let chop):
            var candidates: [Conversation] = []
            // The ping alone, when the failure is about pings and not the message around them.
            if let ping = message.pings.first { candidates.append(with(.ping(ping.payload))) }
            if chop != nil { candidates.append(with(.message(message, chop: nil))) }
            if !message.pings.isEmpty {
                var none = message
                none.pings = []
                candidates.append(with(.message(none, chop: chop)))
            }
            if message.fragments.count > 1 {
                var whole = message
                whole.fragments = [message.payload.count]
                whole.pings = message.pings.map { .init(beforeFragment: 0, payload: $0.payload) }
                candidates.append(with(.message(whole, chop: chop)))
            }
            if !message.payload.isEmpty, message.fragments.count == 1 {
                let half =
                    message.opcode == .text
                    ? ConversationGenerator.characterBoundary(message.payload, near: message.payload.count / 2) : message.payload.count / 2
                message.payload = Array(message.payload.prefix(half))
                message.fragments = [half]
                candidates.append(with(.message(message, chop: chop)))
            }
            return candidates
        case .compressed(let opcode, let corpus, let size, let count, let fragment):
            var candidates: [Conversation] = []
            if count > 1 { candidates.append(with(.compressed(opcode, corpus: corpus, size: size, count: 1, fragment: fragment))) }
            if fragment != nil { candidates.append(with(.compressed(opcode, corpus: corpus, size: size, count: count, fragment: nil))) }
            if size > 1 {
                candidates.append(
                    with(.compressed(opcode, corpus: corpus, size: size / 2, count: count, fragment: fragment.map { min($0, max(1, size / 2)) })))
            }
            return candidates
        case .ping(let payload):
            return payload.isEmpty ? [] : [with(.ping([]))]
        }
    }

    /// The ending: fewer frames before the one that breaks the rule, one fragment, shorter payloads.
    func simplifyEnding(_ conversation: Conversation, _ outcome: inout Outcome) async -> Conversation? {
        outcome.conversation = conversation
        var current = conversation
        var shrunk = false
        while let smaller = await first(Self.simpler(ending: current), &outcome, "simplified the ending") {
            current = smaller
            shrunk = true
        }
        return shrunk ? current : nil
    }

    static func simpler(ending conversation: Conversation) -> [Conversation] {
        func with(_ ending: Conversation.Ending) -> Conversation {
            var candidate = conversation
            candidate.ending = ending
            return candidate
        }
        switch conversation.ending {
        case .normalClose, .refusedOpening:
            return []
        case .closeThenFrame(var frame):
            guard frame.opcode != 8, !frame.payload.isEmpty else { return [] }
            frame.payload = Array(frame.payload.prefix(frame.payload.count / 2))
            return [with(.closeThenFrame(frame))]
        case .closeMidMessage(let opcode, let start):
            return start.isEmpty ? [] : [with(.closeMidMessage(opcode, Array(start.prefix(start.count / 2))))]
        case .violation(let violation):
            var candidates: [Conversation] = []
            let frames = violation.frames
            // Text that turns invalid before its last fragment: the fragments up to that one merged, and those after it,
            // so that fail-fast is still what is asked (two frames).
            if let invalid = violation.invalidTextFrame, invalid < frames.count - 1 {
                if invalid > 0 {
                    var merged = violation
                    merged.frames.replaceSubrange(
                        0...invalid, with: [Violation.Frame(opcode: frames[0].opcode, fin: false, payload: frames[0...invalid].flatMap(\.payload))])
                    candidates.append(with(.violation(merged)))
                }
                if frames.count - invalid > 2 {
                    var merged = violation
                    merged.frames.replaceSubrange(
                        (invalid + 1)..., with: [Violation.Frame(opcode: 0, payload: frames[(invalid + 1)...].flatMap(\.payload))])
                    candidates.append(with(.violation(merged)))
                }
            }
            // Without the frames before the last (an opener), or with the frames of a message merged into one.
            if frames.count > 1 {
                var alone = violation
                alone.frames = [frames[frames.count - 1]]
                if violation.kind == .invalidUTF8 {
                    alone.frames = [Violation.Frame(opcode: frames[0].opcode, payload: frames.flatMap(\.payload))]
                }
                candidates.append(with(.violation(alone)))
            }
            // Halves of each payload: a byte count the rule still breaks with.
            for (index, frame) in frames.enumerated() where frame.payload.count > 1 {
                let minimum = violation.kind == .oversizedControl ? 126 : (frame.opcode == 8 ? 2 : 0)
                guard frame.payload.count > minimum else { continue }
                for part in [frame.payload.prefix(frame.payload.count / 2), frame.payload.suffix(frame.payload.count / 2)] {
                    let kept = Array(part)
                    guard kept.count >= minimum else { continue }
                    var smaller = violation
                    smaller.frames[index].payload = kept
                    candidates.append(with(.violation(smaller)))
                }
                // Without one byte at either end: the bytes that break a rule are rarely all of a payload.
                for trimmed in [Array(frame.payload.dropFirst()), Array(frame.payload.dropLast())] where trimmed.count >= minimum {
                    var smaller = violation
                    smaller.frames[index].payload = trimmed
                    candidates.append(with(.violation(smaller)))
                }
            }
            return candidates
        }
    }
}
