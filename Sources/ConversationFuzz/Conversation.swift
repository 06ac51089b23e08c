public import Scenario
public import WebSocketCore

/// One generated conversation with a peer: an opening (with or without a permessage-deflate offer), turns that each
/// end when the peer has answered them (so the expected answers are never a race), and an ending; or an opening
/// request that breaks a rule, and nothing after it. It renders as a case of a scenario file (`scenarioText`), which is
/// what runs, what a capsule keeps and what shrinking writes out: `wsspec run URL --scenarios FILE` reproduces any
/// conversation.
public struct Conversation: Sendable, Hashable {
    /// permessage-deflate as offered in the opening request.
    public enum DeflateOffer: String, Sendable, Hashable {
        case contextTakeover = "permessage-deflate; client_max_window_bits"
        case noContextTakeover = "permessage-deflate; client_no_context_takeover; server_no_context_takeover"
    }

    /// How the turn's writes reach the wire: cut in pieces of `size` bytes, `delay` apart.
    public struct Chop: Sendable, Hashable {
        public var size: Int
        public var delayMicroseconds: Int
    }

    /// A message in fragments, with pings before some of them; the peer answers each ping (in order), then echoes
    /// the message.
    public struct Message: Sendable, Hashable {
        public var opcode: Opcode
        public var payload: [UInt8]
        /// Fragment lengths, in order, summing to the payload's length; one element: unfragmented.
        public var fragments: [Int]
        /// Pings, each sent before the fragment its index names (0..<fragments.count).
        public var pings: [Ping]

        public struct Ping: Sendable, Hashable {
            public var beforeFragment: Int
            public var payload: [UInt8]
        }
    }

    public enum Turn: Sendable, Hashable {
        case message(Message, chop: Chop?)
        /// Compressed round trips (`round-trips … compressed`): `count` messages of `size` bytes, each after the last's
        /// echo, in fragments of `fragment` bytes when set.
        case compressed(Opcode, corpus: [UInt8], size: Int, count: Int, fragment: Int?)
        case ping([UInt8])
    }

    public enum Ending: Sendable, Hashable {
        /// The client closes with 1000; the peer answers.
        case normalClose
        /// The first fragments of a message, then a close frame (legal between fragments, §5.4); the peer answers it.
        case closeMidMessage(Opcode, [UInt8])
        /// A close, then a frame (ping, text or another close) the peer must not answer (§5.5.1; 7.1.2-7.1.4).
        case closeThenFrame(Violation.Frame)
        /// One rule broken; the peer must fail the connection.
        case violation(Violation)
        /// The opening request breaks a rule; the peer must refuse it, so the conversation has no turns.
        case refusedOpening(OpeningFlaw)
    }

    public var id: CaseID
    /// The conversation's own seed (the case's mask keys come from the run's).
    public var seed: UInt64
    public var deflate: DeflateOffer?
    public var turns: [Turn]
    public var ending: Ending

    public init(id: CaseID, seed: UInt64, deflate: DeflateOffer?, turns: [Turn], ending: Ending) {
        self.id = id
        self.seed = seed
        self.deflate = deflate
        self.turns = turns
        self.ending = ending
    }

    /// Frames the client sends in all (the close at the end of a normal close included), as shrinking counts them.
    public var frameCount: Int {
        let turnFrames = turns.reduce(0) { total, turn in
            switch turn {
            case .message(let message, _): total + message.fragments.count + message.pings.count
            case .compressed(_, _, let size, let count, let fragment): total + messages(count, size: size, fragment: fragment)
            case .ping: total + 1
            }
        }
        let endingFrames: Int
        switch ending {
        case .normalClose: endingFrames = 1
        case .closeMidMessage, .closeThenFrame: endingFrames = 2
        case .violation(let violation): endingFrames = violation.frames.count
        case .refusedOpening: endingFrames = 0
        }
        return turnFrames + endingFrames
    }

    /// Whether the conversation needs permessage-deflate agreed: compressed round trips, or a broken compressed block.
    public var needsCompression: Bool {
        if case .violation(let violation) = ending, violation.kind == .brokenCompressedBlock { return true }
        return turns.contains { if case .compressed = $0 { true } else { false } }
    }

    private func messages(_ count: Int, size: Int, fragment: Int?) -> Int {
        count * (fragment.map { max(1, (size + $0 - 1) / $0) } ?? 1)
    }
}
