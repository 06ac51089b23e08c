import Scenario
import WebSocketCore

/// Makes conversations from a seed: conversation `n` of a run depends on the run's seed and `n` alone, so the same
/// seed gives the same conversations whatever the jobs, the duration or the peer.
public struct ConversationGenerator: Sendable {
    public var seed: UInt64
    /// The share of conversations that end by breaking a rule.
    public var violationShare = 0.4
    /// The share whose opening request breaks a rule (drawn apart from the rest, so the other conversations of a seed
    /// are the same whatever this share is).
    public var flawedOpeningShare = 0.1
    /// Offer permessage-deflate (`--without permessage-deflate` turns it off).
    public var deflate = true
    /// The largest message, past the 16-bit length (65 535) so that every length encoding is used.
    public var maxMessage = 70_000

    /// Case ids of fuzzed conversations: 90.N, apart from the catalog's sections.
    public static let section = 90

    public init(seed: UInt64) { self.seed = seed }

    public func conversation(_ number: Int) -> Conversation {
        let seed = StableHash.fnv1a(Array("\(self.seed)/\(number)".utf8))
        var opening = SplitMix64(seed: StableHash.fnv1a(Array("\(self.seed)/\(number)/opening".utf8)))
        if opening.chance(flawedOpeningShare) {
            let offer: Conversation.DeflateOffer? = deflate && opening.chance(0.3) ? .contextTakeover : nil
            return Conversation(
                id: CaseID(stringLiteral: "\(Self.section).\(number)"), seed: seed, deflate: offer, turns: [],
                ending: .refusedOpening(flaw(&opening)))
        }
        var random = SplitMix64(seed: seed)
        let offer: Conversation.DeflateOffer? =
            deflate && random.chance(0.3) ? (random.chance(0.5) ? .contextTakeover : .noContextTakeover) : nil
        var turns: [Conversation.Turn] = []
        for _ in 0..<random.int(in: 0...4) {
            if offer != nil && random.chance(0.3) {
                turns.append(compressed(&random))
            } else if random.chance(0.1) {
                turns.append(.ping(bytes(random.int(in: 0...125), &random)))
            } else {
                let message = message(&random)
                turns.append(.message(message, chop: random.chance(0.3) ? chop(message, &random) : nil))
            }
        }
        var ending: Conversation.Ending
        if random.chance(violationShare) {
            ending = .violation(violation(&random, deflateOffered: offer != nil))
        } else if random.chance(0.15) {
            ending = .closeMidMessage(random.chance(0.5) ? .text : .binary, text(random.int(in: 0...64), &random))
        } else if random.chance(0.15) {
            let opcode: UInt8 = random.pick([1, 9, 8])
            ending = .closeThenFrame(Violation.Frame(opcode: opcode, payload: opcode == 8 ? [0x03, 0xE8] : text(random.int(in: 0...40), &random)))
        } else {
            ending = .normalClose
        }
        // A broken compressed block takes the place of some broken rules where the extension is offered, drawn from
        // the opening's stream so that the main stream, and so every other conversation, stays as it was.
        if offer != nil, case .violation = ending, opening.chance(0.2) {
            ending = .violation(brokenCompressedBlock(&opening))
        }
        return Conversation(
            id: CaseID(stringLiteral: "\(Self.section).\(number)"), seed: seed, deflate: offer, turns: turns, ending: ending)
    }

    // MARK: Pieces

    /// Sizes drawn around the frame-length encodings' edges (125/126, 65 535/65 536) as often as in between.
    func size(_ random: inout SplitMix64) -> Int {
        let edges = [0, 1, 124, 125, 126, 127, 128, 65_535, 65_536, 65_537].filter { $0 <= maxMessage }
        switch random.int(in: 0...9) {
        case 0...2: return random.pick(edges)
        case 3...7: return random.int(in: 0...300)
        case 8: return random.int(in: 0...4_096)
        default: return random.int(in: 0...maxMessage)
        }
    }

    func message(_ random: inout SplitMix64) -> Conversation.Message {
        let opcode: Opcode = random.chance(0.5) ? .text : .binary
        let payload = opcode == .text ? text(size(&random), &random) : bytes(size(&random), &random)
        let fragments = cuts(payload.count, &random)
        var pings: [Conversation.Message.Ping] = []
        if random.chance(0.3) {
            for _ in 0..<random.int(in: 1...3) {
                pings.append(.init(beforeFragment: random.int(in: 0...fragments.count - 1), payload: bytes(random.int(in: 0...125), &random)))
            }
            pings.sort { $0.beforeFragment < $1.beforeFragment }
        }
        return Conversation.Message(opcode: opcode, payload: payload, fragments: fragments, pings: pings)
    }

    /// Fragment lengths summing to `count`: whole, or cut at random points (empty fragments included).
    func cuts(_ count: Int, _ random: inout SplitMix64) -> [Int] {
        guard random.chance(0.5) else { return [count] }
        let parts = random.int(in: 2...6)
        let points = (0..<parts - 1).map { _ in random.int(in: 0...count) }.sorted()
        return zip([0] + points, points + [count]).map { $1 - $0 }
    }

    /// Writes cut small enough to split frame headers, in 256 pieces a turn at most, spaced only when there are 64 or
    /// fewer (a turn's pauses stay well inside a case's deadline).
    func chop(_ message: Conversation.Message, _ random: inout SplitMix64) -> Conversation.Chop {
        let wire = message.payload.count + 14 * (message.fragments.count + message.pings.count) + message.pings.reduce(0) { $0 + $1.payload.count }
        let smallest = max(1, (wire + 255) / 256)
        let size = max(smallest, random.chance(0.5) ? random.int(in: 1...16) : random.int(in: 17...1_500))
        let pieces = (wire + size - 1) / size
        return Conversation.Chop(size: size, delayMicroseconds: pieces <= 64 && random.chance(0.3) ? random.int(in: 0...2_000) : 0)
    }

    func compressed(_ random: inout SplitMix64) -> Conversation.Turn {
        let opcode: Opcode = random.chance(0.5) ? .text : .binary
        let corpus = opcode == .text ? Array(ascii(random.int(in: 1...512), &random)) : bytes(random.int(in: 1...512), &random)
        let size = random.int(in: 1...20_000)
        return .compressed(
            opcode, corpus: corpus, size: size, count: random.int(in: 1...4), fragment: random.chance(0.3) ? random.int(in: 1...size) : nil)
    }

    /// A data frame with RSV1 whose payload cannot be inflated: a block of the reserved type 3, or a stored block
    /// whose length's complement is wrong, with bytes after it.
    func brokenCompressedBlock(_ random: inout SplitMix64) -> Violation {
        let payload: [UInt8] =
            switch random.int(in: 0...2) {
            case 0: [0x07] // BFINAL 1, BTYPE 11
            case 1: [0x06] + bytes(random.int(in: 0...20), &random) // BFINAL 0, BTYPE 11
            default: [0x00, 0x05, 0x00, 0x00, 0x00] + ascii(5, &random) // stored, LEN 5, NLEN 0 (not ~LEN)
            }
        return Violation(kind: .brokenCompressedBlock, frames: [Violation.Frame(opcode: random.chance(0.5) ? 1 : 2, rsv1: true, payload: payload)])
    }

    func violation(_ random: inout SplitMix64, deflateOffered: Bool) -> Violation {
        typealias Frame = Violation.Frame
        // A broken compressed block is drawn apart (above), only where the extension is offered.
        let kinds = Violation.Kind.allCases.filter { $0 != .brokenCompressedBlock }
        let kind = random.pick(kinds)
        // Sometimes the rule breaks in the middle of a message: a valid first fragment goes first.
        let opener: [Frame] = random.chance(0.4) ? [Frame(opcode: 1, fin: false, payload: text(random.int(in: 0...40), &random))] : []
        switch kind {
        case .invalidUTF8:
            var payload = text(random.int(in: 0...300), &random)
            let invalid: [[UInt8]] = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80]]
            let offset = random.int(in: 0...payload.count)
            var bad = random.pick(invalid)
            // A truncated sequence is invalid only where nothing can complete it: before ASCII, or at the end.
            if bad == [0xE2, 0x82] { bad += [0x41] }
            payload.insert(contentsOf: bad, at: Self.characterBoundary(payload, near: offset))
            let fragments = cuts(payload.count, &random)
            var offsetInPayload = 0
            return Violation(
                kind: kind,
                frames: fragments.enumerated().map { index, length in
                    defer { offsetInPayload += length }
                    return Frame(
                        opcode: index == 0 ? 1 : 0, fin: index == fragments.count - 1,
                        payload: Array(payload[offsetInPayload..<offsetInPayload + length]))
                })
        case .reservedBits:
            var frame = Frame(opcode: opener.isEmpty ? (random.chance(0.5) ? 1 : 2) : 0, payload: text(random.int(in: 0...40), &random))
            switch random.int(in: deflateOffered ? 1...2 : 0...2) {
            case 0: frame.rsv1 = true
            case 1: frame.rsv2 = true
            default: frame.rsv3 = true
            }
            return Violation(kind: kind, frames: opener + [frame])
        case .reservedOpcode:
            let opcode = random.pick(Violation.reservedOpcodes)
            return Violation(kind: kind, frames: opener + [Frame(opcode: opcode, payload: bytes(random.int(in: 0...40), &random))])
        case .oversizedControl:
            // A ping, or a close whose reason takes it past 125 bytes (7.3.6).
            let close = random.chance(0.5)
            let payload = close ? [0x03, 0xE8] + ascii(random.int(in: 124...200), &random) : bytes(random.int(in: 126...300), &random)
            return Violation(kind: kind, frames: opener + [Frame(opcode: close ? 8 : 9, payload: payload)])
        case .fragmentedControl:
            return Violation(kind: kind, frames: opener + [Frame(opcode: 9, fin: false, payload: bytes(random.int(in: 0...40), &random))])
        case .continuationWithoutStart:
            return Violation(kind: kind, frames: [Frame(opcode: 0, fin: random.chance(0.5), payload: text(random.int(in: 0...40), &random))])
        case .dataWhileFragmented:
            let start = opener.isEmpty ? [Frame(opcode: 2, fin: false, payload: bytes(random.int(in: 0...40), &random))] : opener
            return Violation(kind: kind, frames: start + [Frame(opcode: random.chance(0.5) ? 1 : 2, payload: text(random.int(in: 0...40), &random))])
        case .invalidCloseCode:
            let code = random.pick(Violation.invalidCloseCodes)
            return Violation(kind: kind, frames: opener + [Frame(opcode: 8, payload: [UInt8(code >> 8), UInt8(code & 0xFF)])])
        case .oneByteClose:
            return Violation(kind: kind, frames: opener + [Frame(opcode: 8, payload: [UInt8(random.int(in: 0...255))])])
        case .invalidCloseReason:
            return Violation(kind: kind, frames: opener + [Frame(opcode: 8, payload: [0x03, 0xE8, 0x61, 0xFF, 0x62])])
        case .brokenCompressedBlock:
            return brokenCompressedBlock(&random)
        }
    }

    func flaw(_ random: inout SplitMix64) -> OpeningFlaw {
        let kinds = OpeningFlaw.Kind.allCases
        let kind = random.pick(kinds)
        switch kind {
        case .unknownVersion:
            return OpeningFlaw(kind: kind, value: random.pick(OpeningFlaw.unknownVersions))
        case .otherMethod: return OpeningFlaw(kind: kind, value: random.pick(OpeningFlaw.otherMethods))
        default: return OpeningFlaw(kind: kind)
        }
    }

    // MARK: Payloads

    /// Eight bytes a draw: a 70 kB message is fast to make even in a debug build.
    func bytes(_ count: Int, _ random: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 8)
        while bytes.count < count { withUnsafeBytes(of: random.next()) { bytes += $0 } }
        return Array(bytes.prefix(count))
    }

    func ascii(_ count: Int, _ random: inout SplitMix64) -> [UInt8] {
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789 ".utf8)
        return (0..<count).map { _ in random.pick(letters) }
    }

    /// Valid UTF-8 of about `count` bytes, with two-, three- and four-byte characters among ASCII, so that fragments
    /// cut through characters.
    func text(_ count: Int, _ random: inout SplitMix64) -> [UInt8] {
        let characters: [[UInt8]] = [[0xCE, 0xBA], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0xEF, 0xBF, 0xBF], [0x20]]
        var text: [UInt8] = []
        text.reserveCapacity(count + 3)
        // A byte of each draw per character: below 180 an ASCII letter, above it one of the others.
        while text.count < count {
            withUnsafeBytes(of: random.next()) { draw in
                for byte in draw where text.count < count {
                    if byte < 180 { text.append(0x61 + byte % 26) } else { text += characters[Int(byte) % characters.count] }
                }
            }
        }
        return text
    }

    /// The nearest offset at or before `offset` where no character is cut (an inserted sequence must not complete or
    /// break one that was valid).
    static func characterBoundary(_ text: [UInt8], near offset: Int) -> Int {
        var index = min(offset, text.count)
        while index > 0, index < text.count, text[index] & 0xC0 == 0x80 { index -= 1 }
        return index
    }
}

extension SplitMix64 {
    mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    /// One element, drawn as `int(in:)` draws an index (the same stream as indexing by hand).
    mutating func pick<T>(_ elements: [T]) -> T { elements[int(in: 0...elements.count - 1)] }
    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }
}
