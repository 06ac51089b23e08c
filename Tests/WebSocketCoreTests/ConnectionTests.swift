import Testing
import WebSocketCore

/// A client and a server connection wired back to back, bytes delivered in whatever pieces the test picks.
struct ConnectionPair {
    var client = Connection(role: .client, maskKeys: SeededMaskKeySource(seed: 1))
    var server = Connection(role: .server)
    var clientEvents: [ConnectionEvent] = []
    var serverEvents: [ConnectionEvent] = []
    /// What each side ordered its host to do, apart from the events.
    var clientOrders: [HostOrder] = []
    var serverOrders: [HostOrder] = []

    /// Moves queued bytes both ways until neither side has anything to send.
    mutating func pump(chunk: Int = .max) {
        while client.hasOutbound || server.hasOutbound {
            for piece in pieces(client.takeOutbound(), chunk) {
                serverEvents += server.receive(piece)
                serverOrders += server.takeOrders()
            }
            for piece in pieces(server.takeOutbound(), chunk) {
                clientEvents += client.receive(piece)
                clientOrders += client.takeOrders()
            }
        }
    }

    private func pieces(_ bytes: [UInt8], _ size: Int) -> [[UInt8]] {
        guard !bytes.isEmpty else { return [] }
        return stride(from: 0, to: bytes.count, by: min(size, bytes.count)).map {
            Array(bytes[$0..<min($0 + size, bytes.count)])
        }
    }
}

@Suite("Connection state machine")
struct ConnectionTests {
    @Test("messages arrive whole whatever the segmentation", arguments: [1, 2, 3, 7, 64, Int.max])
    func messagesBothWays(chunk: Int) throws {
        var pair = ConnectionPair()
        try pair.client.send(text: "hello κόσμε")
        try pair.client.send(binary: [0, 1, 2, 255])
        try pair.client.send(.text, payload: Array("fragmented in 5-byte frames".utf8), fragmentSize: 5)
        try pair.server.send(text: "from server")
        pair.pump(chunk: chunk)
        #expect(pair.serverEvents == [.text("hello κόσμε"), .binary([0, 1, 2, 255]), .text("fragmented in 5-byte frames")])
        #expect(pair.clientEvents == [.text("from server")])
    }

    @Test func clientFramesAreMaskedAndServerFramesAreNot() throws {
        let client = Connection(role: .client, maskKeys: FixedMaskKeySource(MaskKey(0x37, 0xFA, 0x21, 0x3D)))
        try client.send(text: "Hello")
        #expect(client.takeOutbound() == [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
        let server = Connection(role: .server)
        try server.send(text: "Hello")
        #expect(server.takeOutbound() == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
    }

    @Test func pingBetweenFragmentsIsAnsweredAndTheMessageSurvives() throws {
        var pair = ConnectionPair()
        try pair.client.send(Frame(fin: false, opcode: .text, payload: Array("Hel".utf8)))
        try pair.client.ping(Array("probe".utf8))
        try pair.client.send(Frame(fin: true, opcode: .continuation, payload: Array("lo".utf8)))
        pair.pump()
        #expect(pair.serverEvents == [.ping(Array("probe".utf8)), .text("Hello")])
        #expect(pair.clientEvents == [.pong(Array("probe".utf8))])
    }

    @Test func closeStartedByTheClient() throws {
        var pair = ConnectionPair()
        try pair.client.close(code: .goingAway, reason: "done")
        #expect(pair.client.takeOrders() == [.startCloseTimer])
        #expect(pair.client.state == .closeSent)
        #expect(throws: Connection.CommandError.notOpen(.closeSent)) { try pair.client.send(text: "late") }
        pair.pump()
        #expect(pair.serverEvents == [.closeReceived(ClosePayload(code: .goingAway, reason: "done"))])
        #expect(pair.serverOrders == [.closeTransport])
        #expect(pair.clientEvents == [.closeReceived(ClosePayload(code: .goingAway))])
        #expect(pair.clientOrders == [.startCloseTimer])
        // The server drops TCP first; both ends then report a clean close.
        // Each side's closure carries the peer's close frame as its code and reason, and its own as `sent`.
        #expect(
            pair.server.transportClosed() == [
                .closed(
                    ConnectionClosure(
                        wasClean: true, code: .goingAway, reason: "done", initiatedBy: .client,
                        sent: ClosePayload(code: .goingAway)))
            ])
        #expect(
            pair.client.transportClosed() == [
                .closed(
                    ConnectionClosure(
                        wasClean: true, code: .goingAway, initiatedBy: .client,
                        sent: ClosePayload(code: .goingAway, reason: "done")))
            ])
    }

    @Test func closeStartedByTheServer() throws {
        var pair = ConnectionPair()
        try pair.server.close(code: 4001, reason: "bye")
        #expect(pair.server.takeOrders() == [.startCloseTimer])
        pair.pump()
        #expect(pair.clientEvents == [.closeReceived(ClosePayload(code: 4001, reason: "bye"))])
        #expect(pair.clientOrders == [.startCloseTimer])
        #expect(pair.serverEvents == [.closeReceived(ClosePayload(code: 4001))])
        #expect(pair.serverOrders == [.closeTransport])
        #expect(
            pair.server.transportClosed() == [
                .closed(
                    ConnectionClosure(
                        wasClean: true, code: 4001, initiatedBy: .server,
                        sent: ClosePayload(code: 4001, reason: "bye")))
            ])
    }

    @Test func emptyCloseIsAnsweredWithAnEmptyClose() throws {
        var pair = ConnectionPair()
        try pair.client.close(code: nil)
        pair.pump()
        #expect(pair.serverEvents.first == .closeReceived(ClosePayload(code: nil)))
        #expect(
            pair.client.transportClosed() == [
                .closed(
                    ConnectionClosure(
                        wasClean: true, code: .noStatusReceived, initiatedBy: .client,
                        sent: ClosePayload(code: nil)))
            ])
    }

    @Test func closeTimerEndsAnUnansweredClose() throws {
        let client = Connection(role: .client, maskKeys: SeededMaskKeySource(seed: 3))
        try client.close()
        #expect(client.takeOrders() == [.startCloseTimer])
        #expect(
            client.closeTimerExpired() == [
                .closed(
                    ConnectionClosure(
                        wasClean: false, code: .abnormalClosure, initiatedBy: .client,
                        sent: ClosePayload(code: .normalClosure)))
            ])
        #expect(client.takeOrders() == [.closeTransport])
        #expect(client.state == .closed)
    }

    @Test func closeReasonIsTruncatedAndInvalidCodesRefused() throws {
        var pair = ConnectionPair()
        #expect(throws: Connection.CommandError.invalidCloseCode(1006)) { try pair.client.close(code: .abnormalClosure) }
        try pair.client.close(code: .normalClosure, reason: String(repeating: "€", count: 100))
        pair.pump()
        guard case .closeReceived(let close) = pair.serverEvents.first else {
            Issue.record("no close")
            return
        }
        #expect(close.reason.utf8.count == 123)
    }

    @Test func invalidUTF8FailsFastWith1007BeforeTheMessageEnds() throws {
        let server = Connection(role: .server)
        let client = Connection(role: .client, maskKeys: SeededMaskKeySource(seed: 9))
        let text = Array("κόσμε".utf8)
        try client.send(Frame(fin: false, opcode: .text, payload: text + [0xED, 0xA0, 0x80]))
        let events = server.receive(client.takeOutbound())
        // The message is still open (no FIN), yet the surrogate already failed the connection.
        #expect(events == [.failed(.invalidUTF8(offset: text.count + 1))])
        #expect(server.takeOrders() == [.closeTransport])
        var reader = FrameParser(.init(senderRole: .server))
        reader.append(server.takeOutbound())
        let close = try #require(try reader.nextFrame())
        #expect(try ClosePayload.parse(close.frame.payload).code == .invalidFramePayloadData)
    }

    @Test func textEndingInsideACharacterIs1007() throws {
        let server = Connection(role: .server)
        let client = Connection(role: .client, maskKeys: SeededMaskKeySource(seed: 9))
        try client.send(Frame(opcode: .text, payload: [0x41, 0xE2, 0x82]))
        #expect(server.receive(client.takeOutbound()).first == .failed(.invalidUTF8(offset: 3)))
    }

    @Test func protocolErrorsFailWith1002() throws {
        let server = Connection(role: .server)
        let events = server.receive([0x81, 0x01, 0x41]) // unmasked client frame
        #expect(events == [.failed(.unmaskedClientFrame)])
        #expect(server.takeOrders() == [.closeTransport])
        var reader = FrameParser(.init(senderRole: .server))
        reader.append(server.takeOutbound())
        #expect(try ClosePayload.parse(try #require(try reader.nextFrame()).frame.payload).code == .protocolError)
        #expect(server.receive([0x81, 0x01, 0x41]).isEmpty) // nothing more is read after failing
    }

    @Test func oversizedMessagesFailWith1009BeforeThePayloadArrives() throws {
        var configuration = Connection.Configuration()
        configuration.maxMessageLength = 1000
        let server = Connection(role: .server, configuration: configuration)
        let client = Connection(role: .client, maskKeys: SeededMaskKeySource(seed: 2))
        try client.send(Frame(fin: false, opcode: .binary, payload: .init(repeating: 1, count: 600)))
        try client.send(Frame(fin: true, opcode: .continuation, payload: .init(repeating: 1, count: 600)))
        let wire = client.takeOutbound()
        // Only the second header (not its payload) is needed to see the limit passed. Each header is
        // 8 bytes: 2, a 16-bit length and the mask key.
        let events = server.receive(Array(wire.prefix(8 + 600 + 8)))
        #expect(events == [.failed(.messageTooLarge(size: 1200, limit: 1000))])
        #expect(server.takeOrders() == [.closeTransport])
    }

    @Test func invalidClosePayloadsFailTheConnection() throws {
        for (payload, violation) in [
            ([UInt8]([0x03]), ProtocolViolation.closePayloadTooShort),
            ([0x03, 0xEE], .invalidCloseCode(1006)),
            ([0x03, 0xE8, 0xC0, 0xAF], .invalidUTF8(offset: 2))
        ] {
            let server = Connection(role: .server)
            let client = Connection(role: .client, maskKeys: SeededMaskKeySource(seed: 5))
            try client.send(Frame(opcode: .close, payload: payload))
            // The frame is reported as it came, then the connection fails for it.
            #expect(Array(server.receive(client.takeOutbound()).prefix(2)) == [.invalidCloseReceived(payload), .failed(violation)])
        }
    }

    /// A test peer decodes with the connection and decides every answer itself.
    @Test func aConnectionCanLeaveEveryAnswerToItsCaller() throws {
        var configuration = Connection.Configuration()
        configuration.autoPong = false
        configuration.answersClose = false
        configuration.closesOnViolation = false
        let client = Connection(role: .client, configuration: configuration)
        let server = Connection(role: .server)
        try server.ping(Array("hi".utf8))
        try server.close(code: .normalClosure)
        #expect(client.receive(server.takeOutbound()) == [.ping(Array("hi".utf8)), .closeReceived(ClosePayload(code: .normalClosure))])
        #expect(client.takeOrders() == [.startCloseTimer])
        #expect(!client.hasOutbound) // no pong, no close answer
        let silent = Connection(role: .client, configuration: configuration)
        #expect(silent.receive([0x89, 0x7E, 0x00, 0x7E]) == [.failed(.controlFrameTooLong(length: 126))])
        #expect(silent.takeOrders() == [.closeTransport])
        #expect(!silent.hasOutbound) // failed, and no close frame of its own
    }

    @Test func aMessageCanEndWithAnEmptyFinalFragment() throws {
        let client = Connection(role: .client, maskKeys: SeededMaskKeySource(seed: 3))
        try client.send(.text, payload: Array("abcd".utf8), fragmentSize: 2, emptyFinalFragment: true)
        let server = Connection(role: .server)
        var parser = FrameParser(.init(senderRole: .client))
        parser.append(client.takeOutbound())
        var frames: [Frame] = []
        while let parsed = try parser.nextFrame() { frames.append(parsed.frame) }
        #expect(frames.map(\.fin) == [false, false, true])
        #expect(frames.last?.payload == [])
        try client.send(.text, payload: Array("abcd".utf8), fragmentSize: 2, emptyFinalFragment: true)
        #expect(server.receive(client.takeOutbound()) == [.text("abcd")])
    }

    @Test func lostTransportIsAnAbnormalClosure() {
        let server = Connection(role: .server)
        #expect(server.transportClosed() == [.closed(ConnectionClosure(wasClean: false, code: .abnormalClosure, initiatedBy: nil))])
    }

    @Test func rawFramesAreSentAsGiven() throws {
        let client = Connection(role: .client, maskKeys: FixedMaskKeySource(.zero))
        try client.send(Frame(rsv2: true, opcode: Opcode(rawValue: 0xB), maskKey: nil, payload: [1]))
        // A client frame without a key gets one; everything else stays as broken as it was asked to be.
        #expect(client.takeOutbound() == [0x80 | 0x20 | 0x0B, 0x81, 0, 0, 0, 0, 1])
        client.sendRaw([0xDE, 0xAD])
        #expect(client.takeOutbound() == [0xDE, 0xAD])
        // A non-minimal length is sent as asked; an impossible one is refused, not quietly replaced.
        try client.send(Frame(opcode: .binary, maskKey: .zero, payload: [7]), lengthEncoding: .sixtyFourBit)
        #expect(client.takeOutbound() == [0x82, 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 7])
        #expect(throws: Connection.CommandError.lengthDoesNotFit(length: 200, encoding: .sevenBit)) {
            try client.send(Frame(opcode: .binary, payload: .init(repeating: 0, count: 200)), lengthEncoding: .sevenBit)
        }
    }
}

@Suite("What a peer's frame header can make a connection reserve")
struct ReservationTests {
    @Test func theReservationGrowsWithTheDataNotTheAnnouncement() throws {
        let server = Connection(role: .server)
        let announced = 16 << 20
        let key = MaskKey(1, 2, 3, 4)
        let frame = try FrameSerializer.serialize(Frame(opcode: .binary, maskKey: key, payload: [UInt8](repeating: 9, count: announced)))
        let header = frame.count - announced
        // The header and ten bytes: a peer that then goes quiet holds a first slice, not 16 MiB.
        _ = server.receive(Array(frame[..<(header + 10)]))
        #expect(server.reservedMessageBytes <= (1 << 20) + 4096)
        // Three mebibytes later the reservation has followed the data, within a factor of two.
        _ = server.receive(Array(frame[(header + 10)..<(header + (3 << 20))]))
        #expect(server.reservedMessageBytes >= 3 << 20)
        #expect(server.reservedMessageBytes <= 2 * (3 << 20) + (1 << 20))
        // And the message still arrives whole.
        let events = server.receive(Array(frame[(header + (3 << 20))...]))
        #expect(events == [.binary([UInt8](repeating: 9, count: announced))])
    }
}

@Suite("Memory for messages in progress, shared by a server's connections")
struct MessageMemoryBudgetTests {
    /// A server connection that takes its messages' memory from `budget`.
    static func server(_ budget: MessageMemoryBudget) -> Connection {
        var configuration = Connection.Configuration()
        configuration.messageMemory = budget
        return Connection(role: .server, configuration: configuration)
    }

    /// The first `count` payload bytes of a fragment (FIN clear) of a 2 MiB binary message.
    static func start(of count: Int) throws -> [UInt8] {
        let payload = [UInt8](repeating: 7, count: 2 << 20)
        let frame = try FrameSerializer.serialize(Frame(fin: false, opcode: .binary, maskKey: MaskKey(1, 2, 3, 4), payload: payload))
        return Array(frame[..<(frame.count - payload.count + count)])
    }

    @Test func aMessagePastTheSharedBudgetFailsItsConnectionWith1013AndTheOthersGoOn() throws {
        let budget = MessageMemoryBudget(limit: 3 << 20)
        let first = Self.server(budget), second = Self.server(budget)
        #expect(first.receive(try Self.start(of: 2 << 20)) == [])
        let held = budget.usedBytes
        #expect(held >= 2 << 20 && held <= 3 << 20)
        // The second cannot take its 2 MiB too: it fails with 1013, and what it had charged is given back.
        let events = second.receive(try Self.start(of: 2 << 20))
        #expect(events.contains { if case .failed(.messageMemoryExhausted) = $0 { true } else { false } }, "\(events)")
        #expect((try? ClosePayload.parse(Array(second.takeOutbound().dropFirst(2))))?.code == .tryAgainLater)
        #expect(budget.usedBytes == held)
        // The first message completes, and its memory is free again.
        let end = try FrameSerializer.serialize(Frame(opcode: .continuation, maskKey: MaskKey(1, 2, 3, 4), payload: [8]))
        let delivered = first.receive(end)
        #expect(delivered.count == 1)
        #expect(budget.usedBytes == 0)
    }

    @Test func aConnectionThatGoesAwayGivesItsMessageMemoryBack() throws {
        let budget = MessageMemoryBudget(limit: 64 << 20)
        do {
            let connection = Self.server(budget)
            _ = connection.receive(try Self.start(of: 1 << 20))
            #expect(budget.usedBytes >= 1 << 20)
        }
        #expect(budget.usedBytes == 0)
    }
}
