public import WebSocketCore

/// The default deadline of an expectation.
public let defaultExpectationDeadline: Duration = .seconds(2)

/// Opening the connection.
public enum Open {
    public static var standard: Step { .open(HandshakeSpec()) }
    public static func handshake(_ configure: (inout HandshakeSpec) -> Void) -> Step {
        var spec = HandshakeSpec()
        configure(&spec)
        return .open(spec)
    }
}

/// What the scripted client sends.
public enum Send {
    public static func text(_ text: String) -> Step { .send(FrameSpec(opcode: .text, payload: Array(text.utf8))) }
    /// A text frame with these bytes as payload, UTF-8 or not.
    public static func text(bytes: [UInt8]) -> Step { .send(FrameSpec(opcode: .text, payload: bytes)) }
    public static func binary(_ bytes: [UInt8]) -> Step { .send(FrameSpec(opcode: .binary, payload: bytes)) }
    public static func frame(
        fin: Bool = true, rsv1: Bool = false, rsv2: Bool = false, rsv3: Bool = false, opcode: Opcode,
        payload: [UInt8] = [], masking: FrameSpec.Masking = .automatic,
        lengthEncoding: LengthEncoding? = nil
    ) -> Step {
        .send(
            FrameSpec(
                fin: fin, rsv1: rsv1, rsv2: rsv2, rsv3: rsv3, opcode: opcode, payload: payload,
                masking: masking, lengthEncoding: lengthEncoding))
    }
    public static func raw(_ bytes: [UInt8]) -> Step { .sendRaw(bytes) }
    /// A message in `frames` frames of near-equal size.
    public static func fragmented(_ opcode: Opcode, _ payload: [UInt8], inFrames frames: Int) -> Step {
        .sendFragmented(opcode, payload, fragments: frames)
    }
    public static func ping(_ payload: [UInt8] = []) -> Step { .send(FrameSpec(opcode: .ping, payload: payload)) }
    public static func pong(_ payload: [UInt8] = []) -> Step { .send(FrameSpec(opcode: .pong, payload: payload)) }
    /// A close frame exactly as given: any code, any reason length.
    public static func close(code: UInt16? = 1000, reason: [UInt8] = []) -> Step { .send(.close(code: code, reason: reason)) }
    public static func close(code: UInt16, reason: String) -> Step { close(code: code, reason: Array(reason.utf8)) }
}

/// Segmenting the client's writes.
public enum Chop {
    /// Split every following write into `size`-byte segments, `delay` apart.
    public static func writes(ofSize size: Int, delay: Duration = .zero) -> Step { .segmentWrites(size: size, delay: delay) }
    public static var off: Step { .segmentWrites(size: nil, delay: .zero) }
}

public enum Wait {
    public static func `for`(_ duration: Duration) -> Step { .wait(duration) }
    /// Writes what is queued and takes in what arrived, without pausing: the next send leaves in a write of
    /// its own (consecutive sends otherwise leave together, in one write).
    public static var turn: Step { .wait(.zero) }
}

/// What the scripted client expects of the peer.
public enum Expect {
    public static func text(_ text: String, within: Duration = defaultExpectationDeadline) -> Expectation {
        .message(.text(text), within: within)
    }
    public static func binary(_ bytes: [UInt8], within: Duration = defaultExpectationDeadline) -> Expectation {
        .message(.binary(bytes), within: within)
    }
    public static func message(_ matcher: MessageMatcher, within: Duration = defaultExpectationDeadline) -> Expectation {
        .message(matcher, within: within)
    }
    public static func pong(_ payload: [UInt8]? = nil, within: Duration = defaultExpectationDeadline) -> Expectation {
        .pong(payload, within: within)
    }
    public static func ping(within: Duration) -> Expectation { .ping(within: within) }
    public static func close(_ codes: Set<UInt16>? = nil, within: Duration = defaultExpectationDeadline) -> Expectation {
        .close(codes: codes, within: within)
    }
    public static func failure(_ codes: Set<UInt16> = [1002], within: Duration = defaultExpectationDeadline) -> Expectation {
        .failure(codes: codes, within: within)
    }
    public static func nothing(for duration: Duration) -> Expectation { .nothing(for: duration) }
    public static func disconnect(within: Duration = defaultExpectationDeadline) -> Expectation { .disconnect(within: within) }
}

/// Settings of the scripted client.
public enum Client {
    public static func answerPings(_ on: Bool) -> Step { .answerPings(on) }
    public static func answerClose(_ on: Bool) -> Step { .answerClose(on) }
}

/// Alternatives: `OneOf { Alternative(.ok, "fails at once") { Expect.failure([1007]) } … }`.
public func OneOf(@AlternativeBuilder _ alternatives: () -> [Alternative]) -> Step { .oneOf(alternatives()) }

extension Alternative {
    public init(_ verdict: Verdict, _ label: String, @ExpectationBuilder _ expectations: () -> [Expectation]) {
        self.init(verdict, label, expectations: expectations())
    }
}
