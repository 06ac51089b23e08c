/// What a client reads from its connection.
public enum TransportInput: Sendable, Hashable {
    case bytes([UInt8])
    /// The peer closed its side: nothing more will arrive.
    case endOfStream
    /// The connection was reset or lost.
    case reset
    /// The deadline passed first.
    case timedOut
}

/// One connection as a byte stream, as the scenario runner and the test client drive it: in-process over the
/// simulated network, or live over TCP/TLS. Times are measured from when the connection was made.
public protocol ByteTransport: AnyObject {
    var elapsed: Duration { get }
    /// Writes bytes. While the peer leaves earlier output unread, waits for it to read (output back-pressure: what
    /// a transport queues for a peer is bounded), but not past `deadline`: a peer that reads nothing by then gets
    /// its connection aborted, and the result is false. After `close()` or the end of the connection it does
    /// nothing and returns true.
    @discardableResult
    func write(_ bytes: [UInt8], until deadline: Duration) async -> Bool
    /// The next input, or `.timedOut` once `deadline` is reached. After the end of the connection it waits
    /// for the deadline and returns `.timedOut`: time still passes for a closed connection.
    func read(until deadline: Duration) async -> TransportInput
    /// Ends our sending side (TCP FIN); reading goes on until the peer closes.
    func close() async
    /// Tears the connection down now (TCP RST if it is still up).
    func abort() async
    /// How a client opens a WebSocket over this transport (the HTTP/1.1 upgrade unless the transport says otherwise).
    var openingHandshake: any ClientOpeningHandshake { get }
    /// How a server accepts a WebSocket over this transport (the HTTP/1.1 upgrade unless the transport says otherwise).
    var acceptingHandshake: any ServerOpeningHandshake { get }
}

extension ByteTransport {
    public var openingHandshake: any ClientOpeningHandshake { HTTP1Upgrade() }
    public var acceptingHandshake: any ServerOpeningHandshake { HTTP1Upgrade() }

    /// How long a write may wait for a peer that reads nothing, when its caller has no deadline of its own.
    public static var defaultWriteStall: Duration { .seconds(30) }

    /// Writes bytes, waiting for a peer that does not read for `defaultWriteStall` at most.
    @discardableResult
    public func write(_ bytes: [UInt8]) async -> Bool {
        await write(bytes, until: elapsed + Self.defaultWriteStall)
    }
}
