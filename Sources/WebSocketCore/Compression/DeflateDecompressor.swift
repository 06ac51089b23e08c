internal import CZlib

/// Decompresses permessage-deflate messages as their frames arrive, never producing more than the message
/// size limit allows: a decompression bomb ends in `messageTooLarge` (1009) after at most one chunk past it.
///
/// zlib checks a back-reference against the window only for bytes that earlier `inflate` calls produced;
/// within one call it accepts any distance to the call's own output. So that a sender that reaches past the
/// agreed window gets the same verdict however the network split its bytes, calls begin at fixed points:
/// compressed input goes in blocks of `inputBlockSize` bytes counted from the message's start (the rest,
/// with the restored tail, when it ends), and output comes out in `chunkSize` pieces. The C reference of the
/// deflate fuzz target drives zlib the same way.
public final class DeflateDecompressor {
    public let settings: DeflateSettings
    private let stream: UnsafeMutablePointer<z_stream>
    private let chunk: UnsafeMutableBufferPointer<UInt8>
    private var messageOutput: UInt64 = 0
    /// Compressed bytes of the current message short of a whole input block.
    private var pending: [UInt8] = []
    /// The message's DEFLATE data ended with a final block (BFINAL): what follows in it is ignored.
    private var streamEnded = false
    public static let inputBlockSize = 1024
    public static let chunkSize = 16 * 1024

    public init(_ settings: DeflateSettings) {
        self.settings = settings
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        chunk = .allocate(capacity: Self.chunkSize)
        let status = czlib_inflate_init_raw(stream, Int32(min(max(settings.windowBits, 8), 15)))
        precondition(status == Z_OK, "inflateInit2 failed (\(status)): out of memory")
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        chunk.deallocate()
    }

    /// Decompresses the next piece of the current message's payload.
    /// - Parameter limit: the most decompressed bytes the whole message may reach.
    public func decompress(_ compressed: [UInt8], limit: UInt64) throws(ProtocolViolation) -> [UInt8] {
        guard !streamEnded else { return [] }
        pending.append(contentsOf: compressed)
        let whole = pending.count - pending.count % Self.inputBlockSize
        guard whole > 0 else { return [] }
        var output: [UInt8] = []
        for start in stride(from: 0, to: whole, by: Self.inputBlockSize) {
            output.append(contentsOf: try inflate(pending[start..<start + Self.inputBlockSize], limit: limit))
        }
        pending.removeFirst(whole)
        return output
    }

    /// The message's last frame ended: feeds the `00 00 ff ff` the sender removed and returns what is left.
    public func finishMessage(limit: UInt64) throws(ProtocolViolation) -> [UInt8] {
        defer {
            if settings.noContextTakeover || streamEnded { inflateReset(stream) }
            streamEnded = false
            messageOutput = 0
            pending = []
        }
        return try inflate((pending + [0x00, 0x00, 0xFF, 0xFF])[...], limit: limit)
    }

    /// Forgets a message that failed half-way (the connection is failing anyway).
    public func abandonMessage() {
        inflateReset(stream)
        streamEnded = false
        messageOutput = 0
        pending = []
    }

    /// One block of input, in as many calls as its output needs.
    private func inflate(_ input: ArraySlice<UInt8>, limit: UInt64) throws(ProtocolViolation) -> [UInt8] {
        guard !streamEnded, !input.isEmpty else { return [] }
        var output: [UInt8] = []
        var failure: ProtocolViolation?
        let chunk = self.chunk
        input.withUnsafeBufferPointer { bytes in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress)
            stream.pointee.avail_in = UInt32(bytes.count)
            while failure == nil {
                stream.pointee.next_out = chunk.baseAddress
                stream.pointee.avail_out = UInt32(chunk.count)
                let status = CZlib.inflate(stream, Z_SYNC_FLUSH)
                let produced = chunk.count - Int(stream.pointee.avail_out)
                messageOutput += UInt64(produced)
                if messageOutput > limit {
                    failure = .messageTooLarge(size: messageOutput, limit: limit)
                    break
                }
                output.append(contentsOf: chunk.prefix(produced))
                switch status {
                case Z_STREAM_END:
                    streamEnded = true
                case Z_OK where stream.pointee.avail_out == 0:
                    continue // More output may be pending.
                case Z_OK, Z_BUF_ERROR:
                    break // All input consumed (a buffer error here only means no progress was possible).
                default:
                    let message = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                    failure = .invalidCompressedData(message)
                }
                break
            }
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
        }
        if let failure { throw failure }
        return output
    }
}
