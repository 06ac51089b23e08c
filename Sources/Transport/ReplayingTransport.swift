/// A transport whose first read returns bytes already read from it (a request head that was read to decide
/// where the connection goes), then reads on: so that the code it is handed to sees the connection whole.
public final class ReplayingTransport: ByteTransport {
    private let base: any ByteTransport
    private var replay: [UInt8]

    public init(_ base: any ByteTransport, replaying bytes: [UInt8]) {
        self.base = base
        replay = bytes
    }

    public var elapsed: Duration { base.elapsed }

    public func write(_ bytes: [UInt8], until deadline: Duration) async -> Bool { await base.write(bytes, until: deadline) }

    public func read(until deadline: Duration) async -> TransportInput {
        guard replay.isEmpty else {
            defer { replay = [] }
            return .bytes(replay)
        }
        return await base.read(until: deadline)
    }

    public func close() async { await base.close() }

    public func abort() async { await base.abort() }

    public var openingHandshake: any ClientOpeningHandshake { base.openingHandshake }

    public var acceptingHandshake: any ServerOpeningHandshake { base.acceptingHandshake }
}
