import Testing
import WebSocketCore

@Suite("Frame codec: RFC 6455 §5.7 vectors")
struct RFCFrameVectorTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let sender: Role
        let wire: [UInt8]
        let frames: [Frame]
        var testDescription: String { name }
    }

    static func vectors() throws -> [Vector] {
        let root = try Fixtures.json("rfc6455/frames.json")
        return try (root["vectors"] as! [[String: Any]]).map { entry in
            var wire = try bytes(hex: entry["hex"] as! String)
            if let pattern = entry["payloadPattern"] as? Int { wire += patternPayload(pattern) }
            let frames = try (entry["frames"] as! [[String: Any]]).map { f -> Frame in
                let payload =
                    (f["payloadText"] as? String).map { Array($0.utf8) }
                    ?? patternPayload(f["payloadPattern"] as! Int)
                let mask = try (f["mask"] as? String).map { hex -> MaskKey in
                    let k = try bytes(hex: hex)
                    return MaskKey(k[0], k[1], k[2], k[3])
                }
                return Frame(
                    fin: f["fin"] as! Bool, opcode: Opcode(rawValue: UInt8(f["opcode"] as! Int)),
                    maskKey: mask, payload: payload)
            }
            return Vector(
                name: entry["name"] as! String, sender: entry["sender"] as! String == "client" ? .client : .server,
                wire: wire, frames: frames)
        }
    }

    @Test("parses whole", arguments: try vectors())
    func parsesWhole(vector: Vector) throws {
        let parsed = try parseFrames([vector.wire], .init(senderRole: vector.sender))
        #expect(parsed.map(\.frame) == vector.frames)
    }

    @Test("parses byte by byte", arguments: try vectors())
    func parsesByteByByte(vector: Vector) throws {
        let parsed = try parseFrames(vector.wire.map { [$0] }, .init(senderRole: vector.sender))
        #expect(parsed.map(\.frame) == vector.frames)
    }

    @Test("serializes to the same bytes", arguments: try vectors())
    func serializes(vector: Vector) throws {
        var out: [UInt8] = []
        for frame in vector.frames { try FrameSerializer.append(frame, to: &out) }
        #expect(out == vector.wire)
    }
}

@Suite("Frame codec: broken frames on purpose")
struct BrokenFrameTests {
    @Test func serializerWritesNonMinimalLengths() throws {
        let frame = Frame(opcode: .text, payload: Array("Hi".utf8))
        #expect(try FrameSerializer.serialize(frame, lengthEncoding: .sixteenBit) == [0x81, 126, 0, 2, 0x48, 0x69])
        #expect(
            try FrameSerializer.serialize(frame, lengthEncoding: .sixtyFourBit)
                == [0x81, 127, 0, 0, 0, 0, 0, 0, 0, 2, 0x48, 0x69])
        #expect(throws: FrameSerializer.Error.lengthDoesNotFit(length: 200, encoding: .sevenBit)) {
            try FrameSerializer.serialize(Frame(opcode: .binary, payload: .init(repeating: 0, count: 200)), lengthEncoding: .sevenBit)
        }
    }

    @Test func serializerWritesEveryInvalidShape() throws {
        let reserved = try FrameSerializer.serialize(Frame(rsv2: true, rsv3: true, opcode: Opcode(rawValue: 0xB)))
        #expect(reserved == [0x80 | 0x20 | 0x10 | 0x0B, 0])
        let longPing = try FrameSerializer.serialize(Frame(opcode: .ping, payload: .init(repeating: 7, count: 126)))
        #expect(Array(longPing.prefix(4)) == [0x89, 126, 0, 126])
        let fragmentedPing = try FrameSerializer.serialize(Frame(fin: false, opcode: .ping))
        #expect(fragmentedPing == [0x09, 0])
    }

    @Test func headerCanAnnounceALengthItNeverSends() {
        var out: [UInt8] = []
        FrameSerializer.appendHeader(
            FrameHeader(
                fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: .binary,
                maskKey: nil, payloadLength: UInt64(Int64.max),
                lengthEncoding: .sixtyFourBit), to: &out)
        #expect(out == [0x82, 127, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
    }

    struct StrictCase: Sendable, CustomTestStringConvertible {
        let name: String
        let frame: Frame
        let sender: Role
        let encoding: LengthEncoding?
        let expected: ProtocolViolation
        var testDescription: String { name }
    }

    static let key = MaskKey(1, 2, 3, 4)
    static let strictCases: [StrictCase] = [
        .init(
            name: "RSV1 without extension", frame: Frame(rsv1: true, opcode: .text, maskKey: key), sender: .client,
            encoding: nil, expected: .reservedBitsSet(rsv1: true, rsv2: false, rsv3: false)),
        .init(
            name: "reserved data opcode", frame: Frame(opcode: Opcode(rawValue: 3), maskKey: key), sender: .client,
            encoding: nil, expected: .reservedOpcode(Opcode(rawValue: 3))),
        .init(
            name: "reserved control opcode", frame: Frame(opcode: Opcode(rawValue: 0xF), maskKey: key), sender: .client,
            encoding: nil, expected: .reservedOpcode(Opcode(rawValue: 0xF))),
        .init(
            name: "unmasked client frame", frame: Frame(opcode: .text, payload: [0x41]), sender: .client,
            encoding: nil, expected: .unmaskedClientFrame),
        .init(
            name: "masked server frame", frame: Frame(opcode: .text, maskKey: key, payload: [0x41]), sender: .server,
            encoding: nil, expected: .maskedServerFrame),
        .init(
            name: "ping of 126 bytes", frame: Frame(opcode: .ping, maskKey: key, payload: .init(repeating: 0, count: 126)),
            sender: .client, encoding: nil, expected: .controlFrameTooLong(length: 126)),
        .init(
            name: "fragmented ping", frame: Frame(fin: false, opcode: .ping, maskKey: key), sender: .client,
            encoding: nil, expected: .fragmentedControlFrame(.ping)),
        .init(
            name: "non-minimal 16-bit length", frame: Frame(opcode: .text, maskKey: key, payload: [0x41]), sender: .client,
            encoding: .sixteenBit, expected: .nonMinimalLength(length: 1, encoding: .sixteenBit)),
        .init(
            name: "continuation without start", frame: Frame(opcode: .continuation, maskKey: key), sender: .client,
            encoding: nil, expected: .unexpectedContinuation)
    ]

    @Test("strict mode names the rule and the close code", arguments: strictCases)
    func strictModeThrows(testCase: StrictCase) throws {
        let wire = try FrameSerializer.serialize(testCase.frame, lengthEncoding: testCase.encoding)
        #expect(throws: testCase.expected) {
            _ = try parseFrames([wire], .init(senderRole: testCase.sender))
        }
        #expect(testCase.expected.closeCode == .protocolError)
    }

    @Test func newMessageInsideAFragmentedOneIsRefused() throws {
        var wire = try FrameSerializer.serialize(Frame(fin: false, opcode: .text, maskKey: Self.key, payload: [0x41]))
        wire += try FrameSerializer.serialize(Frame(opcode: .binary, maskKey: Self.key, payload: [0x42]))
        #expect(throws: ProtocolViolation.expectedContinuation(got: .binary)) {
            _ = try parseFrames([wire], .init(senderRole: .client))
        }
    }

    @Test func diagnosticModeRecordsEveryViolationAndContinues() throws {
        var wire = try FrameSerializer.serialize(
            Frame(fin: false, rsv3: true, opcode: .ping, payload: .init(repeating: 9, count: 130)))
        wire += try FrameSerializer.serialize(Frame(opcode: .text, payload: [0x41]), lengthEncoding: .sixtyFourBit)
        let frames = try parseFrames([wire], .init(senderRole: .client, mode: .diagnostic))
        #expect(frames.count == 2)
        #expect(
            frames[0].violations == [
                .reservedBitsSet(rsv1: false, rsv2: false, rsv3: true), .unmaskedClientFrame,
                .controlFrameTooLong(length: 130), .fragmentedControlFrame(.ping)
            ])
        #expect(frames[0].frame.payload.count == 130)
        #expect(frames[1].violations == [.unmaskedClientFrame, .nonMinimalLength(length: 1, encoding: .sixtyFourBit)])
        #expect(frames[1].frame.payload == [0x41])
    }

    @Test("an announced 2^63-1 bytes is an error, not an allocation", arguments: [FrameParser.Mode.strict, .diagnostic])
    func hugeAnnouncedLength(mode: FrameParser.Mode) {
        var wire: [UInt8] = []
        FrameSerializer.appendHeader(
            FrameHeader(
                fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: .binary,
                maskKey: nil, payloadLength: UInt64(Int64.max),
                lengthEncoding: .sixtyFourBit), to: &wire)
        var parser = FrameParser(.init(senderRole: .server, mode: mode, maxFramePayloadLength: 1 << 20))
        parser.append(wire)
        #expect(throws: ProtocolViolation.frameTooLarge(announced: UInt64(Int64.max), limit: 1 << 20)) {
            _ = try parser.nextFrame()
        }
        // The error sticks: a failed stream never resumes.
        #expect(throws: ProtocolViolation.self) { _ = try parser.nextFrame() }
        #expect(ProtocolViolation.frameTooLarge(announced: 0, limit: 0).closeCode == .messageTooBig)
    }

    @Test func lengthWithHighBitIsRefused() {
        var wire: [UInt8] = [0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1]
        wire += [0]
        var parser = FrameParser(.init(senderRole: .server, maxFramePayloadLength: .max))
        parser.append(wire)
        #expect(throws: ProtocolViolation.lengthHighBitSet) { _ = try parser.nextFrame() }
    }

    @Test func negotiatedReservedBitIsAccepted() throws {
        let wire = try FrameSerializer.serialize(Frame(rsv1: true, opcode: .binary, payload: [1]))
        let frames = try parseFrames([wire], .init(senderRole: .server, allowedReservedBits: .rsv1))
        #expect(frames.first?.frame.rsv1 == true)
    }
}

@Suite("Frame codec: any split gives the same frames")
struct IncrementalParsingTests {
    /// A multi-frame client stream with every length form, an interleaved ping and varied mask phases.
    static func stream() throws -> [UInt8] {
        var keys = SeededMaskKeySource(seed: 42)
        let frames: [Frame] = [
            Frame(fin: false, opcode: .text, maskKey: keys.nextMaskKey(), payload: Array("fragment one, ".utf8)),
            Frame(opcode: .ping, maskKey: keys.nextMaskKey(), payload: Array("are you there?".utf8)),
            Frame(fin: true, opcode: .continuation, maskKey: keys.nextMaskKey(), payload: Array("and two: κόσμε".utf8)),
            Frame(opcode: .binary, maskKey: keys.nextMaskKey(), payload: patternPayload(300)),
            Frame(opcode: .binary, maskKey: keys.nextMaskKey(), payload: []),
            Frame(opcode: .pong, maskKey: keys.nextMaskKey(), payload: [1, 2, 3]),
            Frame(opcode: .binary, maskKey: keys.nextMaskKey(), payload: patternPayload(70_000)),
            Frame(opcode: .close, maskKey: keys.nextMaskKey(), payload: [0x03, 0xE8] + Array("bye".utf8))
        ]
        var wire: [UInt8] = []
        for frame in frames { try FrameSerializer.append(frame, to: &wire) }
        return wire
    }

    @Test func everySingleCutPoint() throws {
        let wire = try Self.stream()
        let reference = try parseFrames([wire], .init(senderRole: .client))
        #expect(reference.count == 8)
        // Every boundary inside the headers and small frames, and a stride through the large payload.
        let cuts = Array(0...600) + Array(stride(from: 601, to: wire.count, by: 997)) + Array((wire.count - 20)..<wire.count)
        for cut in cuts {
            let parsed = try parseFrames(split(wire, at: [cut]), .init(senderRole: .client))
            #expect(parsed == reference, "cut at \(cut)")
        }
    }

    @Test func byteByByte() throws {
        let wire = try Self.stream()
        let reference = try parseFrames([wire], .init(senderRole: .client))
        #expect(try parseFrames(wire.map { [$0] }, .init(senderRole: .client)) == reference)
    }

    @Test("seeded random splits", arguments: 0..<200)
    func seededRandomSplits(seed: UInt64) throws {
        let wire = try Self.stream()
        let reference = try parseFrames([wire], .init(senderRole: .client))
        var generator = SplitMix64(seed: seed)
        let cutCount = Int.random(in: 1...64, using: &generator)
        let cuts = (0..<cutCount).map { _ in Int.random(in: 1..<wire.count, using: &generator) }
        #expect(try parseFrames(split(wire, at: cuts), .init(senderRole: .client)) == reference, "seed \(seed)")
    }

    @Test func payloadStreamsBeforeTheFrameIsComplete() throws {
        let wire = try FrameSerializer.serialize(Frame(opcode: .text, maskKey: MaskKey(9, 8, 7, 6), payload: Array("abcdefgh".utf8)))
        var parser = FrameParser(.init(senderRole: .client))
        parser.append(Array(wire.prefix(6 + 3))) // header + 3 payload bytes
        guard case .header(let header, _) = try parser.nextEvent() else {
            Issue.record("no header")
            return
        }
        #expect(header.payloadLength == 8)
        #expect(try parser.nextEvent() == .payload(Array("abc".utf8)))
        #expect(try parser.nextEvent() == nil)
        parser.append(Array(wire.dropFirst(9)))
        #expect(try parser.nextEvent() == .payload(Array("defgh".utf8)))
        #expect(try parser.nextEvent() == .frameEnd)
        #expect(parser.isAtFrameBoundary)
    }
}
