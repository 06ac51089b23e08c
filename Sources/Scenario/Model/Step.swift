public import WebSocketCore

/// One step of a scenario, run in order by the scripted client.
public enum Step: Sendable {
    /// The opening handshake. A scenario without one opens with the standard request first.
    case open(HandshakeSpec)
    case send(FrameSpec)
    /// Bytes written exactly as given.
    case sendRaw([UInt8])
    /// A message split into `fragments` frames of near-equal size (at least one byte each when possible).
    case sendFragmented(Opcode, [UInt8], fragments: Int)
    /// Split every following write into segments of `size` bytes with `delay` between them (`nil`: whole).
    case segmentWrites(size: Int?, delay: Duration)
    /// Send messages one at a time, each waiting for its echo (the load sections).
    case roundTrips(RoundTrips)
    /// Let time pass; everything the peer sends meanwhile is taken in (and its pings answered).
    case wait(Duration)
    case expect(Expectation)
    /// Several acceptable outcomes; the first that holds (in order) gives its verdict.
    case oneOf([Alternative])
    /// Whether the client answers the peer's pings (on by default).
    case answerPings(Bool)
    /// Whether the client answers the peer's close frame (on by default).
    case answerClose(Bool)
    /// The steps after this need permessage-deflate agreed in the opening handshake: without it the case is
    /// UNIMPLEMENTED from here (a frame with RSV1 means a compressed message only where the extension is in use).
    case needsCompression
    /// Steps that depend on what the run knows of the server (e.g. its ping interval). `nil` means the run
    /// lacks what they need, named by `needs`: the case is UNIMPLEMENTED.
    case depending(needs: String, @Sendable (RunParameters) -> [Step]?)
}

/// How a case expects its connection to end; it decides the close verdict.
public enum ClosingBehaviour: Sendable, Hashable {
    /// After the steps the client closes with `code`; the peer must answer with one of `answers` and the
    /// closing handshake must complete.
    case clientCloses(code: UInt16 = 1000, answers: Set<UInt16> = [1000])
    /// The peer must have failed the connection with one of these codes.
    case peerFails(codes: Set<UInt16>)
    /// The RFC leaves the ending open: it is recorded, not judged.
    case informational
}
