import Transport
import WebSocketCore

/// An echo client with one deliberate defect, and otherwise correct: the client-role counterpart of
/// `DefectiveEchoServer`. It is written apart from `ClientSession` (on the core's diagnostic parser) so that each
/// defect is a single switch here.
struct DefectiveEchoClient: Sendable {
    enum Defect: String, CaseIterable, Sendable {
        /// Frames go out unmasked (RFC 6455 §5.1: a client MUST mask every frame).
        case sendsUnmasked
        /// Text is echoed without checking its UTF-8, and so are close reasons (§8.1, §7.1.6).
        case noUTF8Check
        /// Pings get no pong (§5.5.2).
        case neverAnswersPings
        /// Whatever the error, the connection is failed with 1000 (§7.4.1 names the codes).
        case wrongCloseCodes
        /// Any HTTP answer is taken for an upgrade: a wrong Accept, no Upgrade, a status other than 101 (§4.1).
        case acceptsAnyUpgrade
    }

    /// `nil`: no defect at all (the baseline the defects are measured against).
    let defect: Defect?

    init(_ defect: Defect?) { self.defect = defect }

    /// One connection: the opening handshake, then every message echoed until the server closes.
    func run(over transport: any ByteTransport) async {
        let request = ClientHandshakeRequest(target: "/", host: "127.0.0.1", nonce: Array(0..<16))
        await transport.write(request.serialize())
        guard let rest = await upgrade(request, over: transport) else { return await transport.close() }
        var echo = EchoState(defect: defect)
        var input = rest
        while true {
            let (output, finished) = echo.receive(input)
            if !output.isEmpty { await transport.write(output) }
            if finished { break }
            guard case .bytes(let bytes) = await transport.read(until: transport.elapsed + .seconds(120)) else {
                return await transport.close()
            }
            input = bytes
        }
        // In the client role the server closes TCP first (§7.1.1): wait for it, for a while.
        let deadline = transport.elapsed + .seconds(10)
        while case .bytes = await transport.read(until: deadline) {}
        await transport.close()
    }

    /// The bytes after a 101 the client takes, or nil when it fails the connection.
    private func upgrade(_ request: ClientHandshakeRequest, over transport: any ByteTransport) async -> [UInt8]? {
        var upgrade = ClientUpgrade(request: request)
        let deadline = transport.elapsed + .seconds(10)
        while true {
            guard case .bytes(let bytes) = await transport.read(until: deadline) else { return nil }
            switch upgrade.receive(bytes, configuration: Connection.Configuration(), maskKeys: FixedMaskKeySource(MaskKey(1, 2, 3, 4))) {
            case .needMore: continue
            case .upgraded(let answer, _, _): return answer.rest
            case .refused(let answer), .invalidUpgrade(let answer, _): return defect == .acceptsAnyUpgrade ? answer.rest : nil
            case .notHTTP: return nil
            }
        }
    }
}

/// The frame-level state of the echo: what came in, what goes out.
private struct EchoState {
    let defect: DefectiveEchoClient.Defect?
    private var parser = FrameParser(.init(senderRole: .server, mode: .diagnostic))
    private var frame: (header: FrameHeader, payload: [UInt8])?
    private var message: (opcode: Opcode, payload: [UInt8], validator: UTF8Validator)?
    private var keys: UInt32 = 0x5EED

    init(defect: DefectiveEchoClient.Defect?) { self.defect = defect }

    /// Takes bytes; returns the bytes to write and whether the connection is over (a close sent).
    mutating func receive(_ bytes: [UInt8]) -> (output: [UInt8], finished: Bool) {
        parser.append(bytes)
        var output: [UInt8] = []
        while true {
            let event: FrameParser.Event?
            do {
                event = try parser.nextEvent()
            } catch {
                return (output + fail(error.closeCode), true)
            }
            guard let event else { return (output, false) }
            switch handle(event) {
            case .none: continue
            case .write(let bytes): output += bytes
            case .finish(let bytes): return (output + bytes, true)
            }
        }
    }

    private enum Step {
        case none
        case write([UInt8])
        case finish([UInt8])
    }

    private mutating func handle(_ event: FrameParser.Event) -> Step {
        switch event {
        case .header(let header, let violations):
            if let violation = violations.first { return .finish(fail(violation.closeCode)) }
            frame = (header, [])
            guard !header.opcode.isControl else { return .none }
            switch (header.opcode, message) {
            case (.continuation, nil), (.text, .some), (.binary, .some): return .finish(fail(.protocolError))
            case (.text, nil), (.binary, nil): message = (header.opcode, [], UTF8Validator())
            default: break
            }
            return .none
        case .payload(let chunk):
            frame?.payload += chunk
            guard let current = frame, !current.header.opcode.isControl, message != nil else { return .none }
            message!.payload += chunk
            if message!.opcode == .text && defect != .noUTF8Check && !message!.validator.feed(chunk) {
                return .finish(fail(.invalidFramePayloadData))
            }
            return .none
        case .frameEnd:
            guard let current = frame else { return .none }
            frame = nil
            if current.header.opcode.isControl { return control(current.header.opcode, current.payload) }
            guard current.header.fin, let whole = message else { return .none }
            message = nil
            if whole.opcode == .text && defect != .noUTF8Check && UTF8Validator.validate(whole.payload) != .valid {
                return .finish(fail(.invalidFramePayloadData))
            }
            return .write(serialize(whole.opcode, whole.payload))
        }
    }

    private mutating func control(_ opcode: Opcode, _ payload: [UInt8]) -> Step {
        switch opcode {
        case .ping: return defect == .neverAnswersPings ? .none : .write(serialize(.pong, payload))
        case .pong: return .none
        default:
            do {
                let code = try ClosePayload.parse(payload).code
                return .finish(serialize(.close, ClosePayload(code: code).bytes))
            } catch .invalidUTF8 where defect == .noUTF8Check {
                return .finish(serialize(.close, Array(payload.prefix(2))))
            } catch {
                return .finish(fail(error.closeCode))
            }
        }
    }

    private mutating func fail(_ code: CloseCode) -> [UInt8] {
        serialize(.close, ClosePayload(code: defect == .wrongCloseCodes ? .normalClosure : code).bytes)
    }

    /// A frame from the client: masked with a fresh key, unless the defect is not to mask.
    private mutating func serialize(_ opcode: Opcode, _ payload: [UInt8]) -> [UInt8] {
        keys = keys &* 1_664_525 &+ 1_013_904_223
        let key = defect == .sendsUnmasked ? nil : MaskKey(bigEndian: keys)
        return try! FrameSerializer.serialize(Frame(opcode: opcode, maskKey: key, payload: payload))
    }
}
