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
    /// Writes bytes; after `close()` or the end of the connection it does nothing.
    func write(_ bytes: [UInt8]) async
    /// The next input, or `.timedOut` once `deadline` is reached. After the end of the connection it waits
    /// for the deadline and returns `.timedOut`: time still passes for a closed connection.
    func read(until deadline: Duration) async -> TransportInput
    /// Ends our sending side (TCP FIN); reading goes on until the peer closes.
    func close() async
    /// Tears the connection down now (TCP RST if it is still up).
    func abort() async
}
