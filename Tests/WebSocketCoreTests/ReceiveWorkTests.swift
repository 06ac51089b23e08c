import Testing
import WebSocketCore

/// The receive path costs in proportion to what arrives, in both roles: work is counted (bytes copied, buffer
/// moves), not timed, so a quadratic path fails here on any machine. A message that arrived in 64-byte
/// fragments once reallocated and copied its whole buffer for every fragment (4 MiB took seconds live).
@Suite("Receive work is linear in what arrives")
struct ReceiveWorkTests {
    /// The bytes of one message of `size` bytes cut into `fragment`-byte frames, as `role` sends them.
    static func fragmented(
        _ opcode: Opcode = .binary, size: Int, fragment: Int, from role: Role,
        deflate: PerMessageDeflateAgreement? = nil
    ) throws -> (payload: [UInt8], wire: [UInt8]) {
        var configuration = Connection.Configuration()
        configuration.permessageDeflate = deflate
        let sender = Connection(role: role, configuration: configuration, maskKeys: SeededMaskKeySource(seed: 5))
        // Printable and not too regular, so that text is valid UTF-8 and deflate still has work to do.
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: 0x21 + ($0 &* 7 ^ $0 >> 5) % 90) }
        try sender.send(opcode, payload: payload, fragmentSize: fragment)
        return (payload, sender.takeOutbound())
    }

    /// Feeds `wire` in `chunk`-byte reads to a connection of `role` and returns it with its events.
    static func receive(
        _ wire: [UInt8], as role: Role, chunk: Int, deflate: PerMessageDeflateAgreement? = nil,
        limit: UInt64 = 16 << 20
    ) -> (Connection, [ConnectionEvent]) {
        var configuration = Connection.Configuration()
        configuration.permessageDeflate = deflate
        configuration.maxMessageLength = limit
        let receiver = Connection(role: role, configuration: configuration)
        var events: [ConnectionEvent] = []
        var start = 0
        while start < wire.count {
            let end = min(wire.count, start + chunk)
            events += receiver.receive(Array(wire[start..<end]))
            start = end
        }
        return (receiver, events)
    }

    /// Geometric growth: the message's bytes moved about once in all, in a few dozen reallocations at most; the
    /// parser's input moved no more than arrived.
    static func expectLinear(_ work: ReceiveWork, size: Int, wire: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            work.messageBytesMoved <= 2 * size, "\(work.messageBytesMoved) bytes moved for a message of \(size)",
            sourceLocation: sourceLocation)
        #expect(work.messageReallocations <= 40, "\(work.messageReallocations) reallocations of one message", sourceLocation: sourceLocation)
        #expect(work.inputBytesMoved <= wire, "\(work.inputBytesMoved) input bytes moved for \(wire) received", sourceLocation: sourceLocation)
    }

    @Test("4 MiB in 64-byte fragments, each role receiving", arguments: [Role.server, .client])
    func smallFragments(receiver: Role) throws {
        let size = 4 << 20
        let (payload, wire) = try Self.fragmented(size: size, fragment: 64, from: receiver.peer)
        let (connection, events) = Self.receive(wire, as: receiver, chunk: 4096)
        #expect(events.count == 1 && events.first == .binary(payload), "the message arrives whole, alone")
        Self.expectLinear(connection.receiveWork, size: size, wire: wire.count)
        #expect(connection.receiveWork.payloadBytesCopied == size)
    }

    @Test("256 KiB of text in 1-byte fragments read a byte at a time", arguments: [Role.server, .client])
    func oneByteFragments(receiver: Role) throws {
        let size = 256 << 10
        let (payload, wire) = try Self.fragmented(.text, size: size, fragment: 1, from: receiver.peer)
        let (connection, events) = Self.receive(wire, as: receiver, chunk: 1)
        #expect(events.count == 1 && events.first == .text(String(decoding: payload, as: UTF8.self)), "the message arrives whole, alone")
        Self.expectLinear(connection.receiveWork, size: size, wire: wire.count)
    }

    @Test("a ping between every two fragments copies its own payload, never the message")
    func pingsBetweenFragments() throws {
        let client = Connection(role: .client, maskKeys: SeededMaskKeySource(seed: 9))
        let size = 1 << 20, fragment = 128
        let payload = [UInt8](repeating: 0x42, count: size)
        for start in stride(from: 0, to: size, by: fragment) {
            try client.send(
                Frame(
                    fin: start + fragment >= size, opcode: start == 0 ? .binary : .continuation,
                    payload: Array(payload[start..<start + fragment])))
            try client.ping([1, 2, 3, 4])
        }
        let wire = client.takeOutbound()
        let (server, events) = Self.receive(wire, as: .server, chunk: 1500)
        #expect(events.count == size / fragment + 1)
        #expect(events.dropLast().last == .binary(payload), "the message arrives whole before the last ping")
        Self.expectLinear(server.receiveWork, size: size, wire: wire.count)
        #expect(server.receiveWork.payloadBytesCopied == size + 4 * (size / fragment))
    }

    @Test("a compressed message in 64-byte fragments: inflated output is appended, not recopied", arguments: [Role.server, .client])
    func compressedFragments(receiver: Role) throws {
        let size = 2 << 20
        let agreement = PerMessageDeflateAgreement(response: PerMessageDeflateParameters())
        let (payload, wire) = try Self.fragmented(size: size, fragment: 64, from: receiver.peer, deflate: agreement)
        #expect(wire.count < size, "the message is compressed")
        let (connection, events) = Self.receive(wire, as: receiver, chunk: 1000, deflate: agreement)
        #expect(events.count == 1 && events.first == .binary(payload), "the message arrives whole, alone")
        Self.expectLinear(connection.receiveWork, size: size, wire: wire.count)
    }

    @Test("many small messages: the work grows with their number, not their square")
    func manySmallMessages() throws {
        let client = Connection(role: .client, maskKeys: SeededMaskKeySource(seed: 2))
        let count = 20_000
        for index in 0..<count { try client.send(binary: [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 100)) }
        let wire = client.takeOutbound()
        let (server, events) = Self.receive(wire, as: .server, chunk: 333)
        #expect(events.count == count)
        // Each message gets a buffer of its size (nothing to move); the parser's compactions move at most what arrived.
        #expect(server.receiveWork.messageBytesMoved == 0, "\(server.receiveWork.messageBytesMoved) message bytes moved")
        #expect(server.receiveWork.inputBytesMoved <= wire.count, "\(server.receiveWork.inputBytesMoved) input bytes moved for \(wire.count)")
        #expect(server.receiveWork.payloadBytesCopied == 100 * count)
    }
}
