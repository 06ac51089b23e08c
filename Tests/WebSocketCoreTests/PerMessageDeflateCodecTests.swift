import Testing
import WebSocketCore

/// A client and server that agreed on `agreement`, wired back to back.
private func deflatePair(_ agreement: PerMessageDeflateAgreement, maxMessageLength: UInt64 = 16 << 20) -> ConnectionPair {
    var configuration = Connection.Configuration()
    configuration.permessageDeflate = agreement
    configuration.maxMessageLength = maxMessageLength
    var pair = ConnectionPair()
    pair.client = Connection(role: .client, configuration: configuration, maskKeys: SeededMaskKeySource(seed: 1))
    pair.server = Connection(role: .server, configuration: configuration)
    return pair
}

private func agreement(_ response: String = "permessage-deflate") throws -> PerMessageDeflateAgreement {
    let element = try #require(ExtensionOffer.parse([response])?.first)
    return PerMessageDeflateAgreement(response: try PerMessageDeflateParameters(element, as: .response))
}

/// Deterministic text that compresses somewhat: words drawn from a small list by a linear congruential walk.
private func sampleText(_ count: Int, seed: UInt64) -> [UInt8] {
    let words = ["frame", "mask", "deflate", "κόσμε", "window", "ping", "close", "🙂", "context", "takeover"]
    var state = seed
    var bytes: [UInt8] = []
    while bytes.count < count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        bytes += Array((words[Int(state >> 59) % words.count] + " ").utf8)
    }
    return bytes
}

@Suite("permessage-deflate compression (RFC 7692 §6, §7.2)")
struct PerMessageDeflateCodecTests {
    @Test("the byte-exact examples of RFC 7692 §7.2.3 decode to their messages")
    func rfcExamples() throws {
        let document = try Fixtures.json("permessage-deflate/rfc7692-examples.json")
        let examples = try #require(document["examples"] as? [[String: Any]])
        #expect(examples.count == 7)
        for example in examples {
            let frames = try #require(example["frames"] as? [String]).map { try bytes(hex: $0) }
            let messages = try #require(example["messages"] as? [String])
            var configuration = Connection.Configuration()
            configuration.permessageDeflate = try agreement()
            let client = Connection(role: .client, configuration: configuration)
            let events = frames.flatMap { client.receive($0) }
            #expect(events == messages.map(ConnectionEvent.text), "\(example["section"] ?? "?"): \(example["title"] ?? "")")
        }
    }

    @Test("our compressor writes the RFC's bytes for Hello, and shares the window for the second")
    func compressorMatchesZlibReference() throws {
        let document = try Fixtures.json("permessage-deflate/rfc7692-examples.json")
        let reference = try #require(document["defaultLevelWithContextTakeover"] as? [String: Any])
        let payloads = try #require(reference["payloads"] as? [String]).map { try bytes(hex: $0) }
        let compressor = DeflateCompressor(DeflateSettings())
        #expect([compressor.compress(Array("Hello".utf8)), compressor.compress(Array("Hello".utf8))] == payloads)
        #expect(payloads == [[0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00], [0xF2, 0x00, 0x11, 0x00, 0x00]])
        #expect(DeflateCompressor(DeflateSettings()).compress([]) == [0x00])
    }

    @Test(
        "messages round-trip for every window size, with and without context takeover",
        arguments: [8, 9, 12, 15], [false, true])
    func roundTrips(windowBits: Int, noContextTakeover: Bool) throws {
        let takeover = noContextTakeover ? "; server_no_context_takeover; client_no_context_takeover" : ""
        var pair = deflatePair(
            try agreement(
                "permessage-deflate; server_max_window_bits=\(windowBits); client_max_window_bits=\(windowBits)\(takeover)"))
        // An empty message after others (with context takeover, zlib flushes nothing for it: 00 is sent, §7.2.3.6).
        let sizes = [0, 1, 300, 0, 5_000, 70_000, 300_000]
        let messages = sizes.indices.map { sampleText(sizes[$0], seed: UInt64($0)) }
        for message in messages {
            try pair.client.send(.text, payload: message, fragmentSize: 4_096)
            try pair.server.send(binary: message)
        }
        pair.pump(chunk: 1_500)
        // Compared as Booleans, with a short account: the events hold up to 300 kB of text.
        let serverGotAll = pair.serverEvents == messages.map { .text(String(decoding: $0, as: UTF8.self)) }
        let clientGotAll = pair.clientEvents == messages.map { .binary($0) }
        #expect(serverGotAll, "server: \(pair.serverEvents.count) events, last \(String(describing: pair.serverEvents.last).prefix(200))")
        #expect(clientGotAll, "client: \(pair.clientEvents.count) events, last \(String(describing: pair.clientEvents.last).prefix(200))")
        let sent = pair.client.compressionStatistics.sent
        #expect(sent.messages == messages.count)
        #expect(sent.plainBytes == UInt64(messages.map(\.count).reduce(0, +)))
        #expect(try #require(sent.ratio) < 0.5)
        #expect(pair.server.compressionStatistics.received == sent)
    }

    @Test("without context takeover a repeated message compresses the same; with it, the repeat shrinks")
    func contextTakeover() throws {
        let message = sampleText(2_000, seed: 9)
        let independent = DeflateCompressor(DeflateSettings(noContextTakeover: true))
        #expect(independent.compress(message) == independent.compress(message))
        let shared = DeflateCompressor(DeflateSettings())
        let first = shared.compress(message)
        #expect(shared.compress(message).count < first.count / 10)
    }

    @Test("an 8-bit window is honoured: the 9-bit deflate stream never reaches back past 256 bytes")
    func eightBitWindow() throws {
        // Repeats at distances just under and over 256 bytes: a stream with longer distances would fail to
        // inflate in an 8-bit window ("invalid distance too far back").
        let block = sampleText(260, seed: 3)
        let message = Array((0..<400).flatMap { _ in block }.prefix(100_000))
        let compressed = DeflateCompressor(DeflateSettings(windowBits: 8)).compress(message)
        let inflater = DeflateDecompressor(DeflateSettings(windowBits: 8))
        let inflated = try inflater.decompress(compressed, limit: .max) + inflater.finishMessage(limit: .max)
        #expect(inflated == message)
    }

    @Test("a decompression bomb is stopped by the message limit with 1009, not by memory")
    func decompressionBomb() throws {
        let bomb = DeflateCompressor(DeflateSettings()).compress([UInt8](repeating: 0, count: 32 << 20))
        #expect(bomb.count < 64 << 10)
        var pair = deflatePair(try agreement(), maxMessageLength: 1 << 20)
        try pair.client.send(Frame(rsv1: true, opcode: .binary, payload: bomb))
        pair.pump()
        guard case .failed(let violation) = pair.serverEvents.first else {
            Issue.record("expected the server to fail the connection, got \(pair.serverEvents)")
            return
        }
        #expect(violation.closeCode == .messageTooBig)
        #expect(
            pair.clientEvents.contains(
                .closeReceived(
                    ClosePayload(code: .messageTooBig, reason: violation.description)
                        .truncatingReason)))
    }

    @Test(
        "RSV1 where RFC 7692 forbids it, and undecodable data, fail the connection",
        arguments: [
            (Frame(rsv1: true, opcode: .ping, payload: []), CloseCode.protocolError),
            (Frame(fin: false, opcode: .text, payload: Array("He".utf8)), .protocolError), // then an RSV1 continuation
            (Frame(rsv1: true, opcode: .binary, payload: [0xFF, 0xFF, 0xFF]), .invalidFramePayloadData)
        ])
    func misplacedOrBrokenCompression(frame: Frame, code: CloseCode) throws {
        var pair = deflatePair(try agreement())
        try pair.client.send(frame)
        if !frame.fin { try pair.client.send(Frame(rsv1: true, opcode: .continuation, payload: [0xCD])) }
        pair.pump()
        guard case .failed(let violation) = pair.serverEvents.last(where: { if case .failed = $0 { true } else { false } }) else {
            Issue.record("expected a failure, got \(pair.serverEvents)")
            return
        }
        #expect(violation.closeCode == code)
    }

    @Test("without the extension RSV1 is still a protocol error, and nothing is compressed")
    func notNegotiated() throws {
        var pair = ConnectionPair()
        try pair.server.send(text: "plain")
        try pair.client.send(Frame(rsv1: true, opcode: .text, payload: Array("x".utf8)))
        pair.pump()
        #expect(pair.clientEvents.first == .text("plain"))
        #expect(pair.serverEvents.first == .failed(.reservedBitsSet(rsv1: true, rsv2: false, rsv3: false)))
        #expect(pair.client.compressionStatistics == CompressionStatistics())
    }

    @Test("compressed text is validated as it inflates: invalid UTF-8 fails with 1007")
    func compressedInvalidUTF8() throws {
        var pair = deflatePair(try agreement())
        let broken = DeflateCompressor(DeflateSettings()).compress(Array("valid, then ".utf8) + [0xC0, 0x80])
        try pair.client.send(Frame(rsv1: true, opcode: .text, payload: broken))
        pair.pump()
        #expect(pair.serverEvents.first == .failed(.invalidUTF8(offset: 12)))
    }

    /// A stored block that fills the first input block, then a fixed-Huffman block copying 3 bytes from
    /// 300 back: past an 8-bit window, within a 9-bit one.
    static var overreachingStream: [UInt8] {
        let stored = DeflateDecompressor.inputBlockSize - 5
        var bytes: [UInt8] = [0x00, UInt8(stored & 0xFF), UInt8(stored >> 8), ~UInt8(stored & 0xFF), ~UInt8(stored >> 8)]
        bytes += (0..<stored).map { UInt8(truncatingIfNeeded: $0) }
        // BFINAL 0, BTYPE 01; length code 257; distance code 16 with extra bits 43; end of block. Least
        // significant bit first; Huffman codes reversed.
        var bits: UInt32 = 0, count: UInt32 = 0
        for (value, width) in [(0, 1), (1, 2), (0x40, 7), (0x01, 5), (300 - 257, 7), (0, 7)] as [(UInt32, UInt32)] {
            bits |= value << count
            count += width
        }
        bytes += stride(from: 0, to: count, by: 8).map { UInt8(truncatingIfNeeded: bits >> $0) }
        return bytes
    }

    @Test(
        "a sender reaching past the agreed window gets the same verdict however its bytes were split",
        arguments: [1, 7, 300, 1023, 1024, 4096])
    func overreachIsIndependentOfSegmentation(pieceSize: Int) throws {
        // zlib checks distances against the window only across calls: fed as it arrived, the verdict would
        // depend on where the network cut the message.
        func inflate(windowBits: Int) -> Result<[UInt8], ProtocolViolation> {
            let inflater = DeflateDecompressor(DeflateSettings(windowBits: windowBits))
            let stream = Self.overreachingStream
            return Result { () throws(ProtocolViolation) -> [UInt8] in
                var output: [UInt8] = []
                for start in stride(from: 0, to: stream.count, by: pieceSize) {
                    output += try inflater.decompress(Array(stream[start..<min(start + pieceSize, stream.count)]), limit: .max)
                }
                return output + (try inflater.finishMessage(limit: .max))
            }
        }
        guard case .failure(.invalidCompressedData(let reason)) = inflate(windowBits: 8) else {
            Issue.record("an 8-bit window must refuse a 300-byte distance, got \(inflate(windowBits: 8))")
            return
        }
        #expect(reason.contains("too far back"))
        let nine = try inflate(windowBits: 9).get()
        #expect(nine.count == DeflateDecompressor.inputBlockSize - 5 + 3)
        #expect(Array(nine.suffix(3)) == Array(nine[nine.count - 303..<nine.count - 300]))
    }
}
