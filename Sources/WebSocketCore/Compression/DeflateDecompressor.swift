internal import CZlib

/// Decompresses permessage-deflate messages as their frames arrive, never producing more than the message
/// size limit allows: a decompression bomb ends in `messageTooLarge` (1009) after at most one chunk past it.
public final class DeflateDecompressor {
    public let settings: DeflateSettings
    private let stream: UnsafeMutablePointer<z_stream>
    private var messageOutput: UInt64 = 0
    /// The message's DEFLATE data ended with a final block (BFINAL): what follows in it is ignored.
    private var streamEnded = false
    private static let chunkSize = 16 * 1024

    public init(_ settings: DeflateSettings) {
        self.settings = settings
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = czlib_inflate_init_raw(stream, Int32(min(max(settings.windowBits, 8), 15)))
        precondition(status == Z_OK, "inflateInit2 failed (\(status)): out of memory")
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Decompresses the next piece of the current message's payload.
    /// - Parameter limit: the most decompressed bytes the whole message may reach.
    public func decompress(_ compressed: [UInt8], limit: UInt64) throws(ProtocolViolation) -> [UInt8] {
        try inflate(compressed, limit: limit)
    }

    /// The message's last frame ended: feeds the `00 00 ff ff` the sender removed and returns what is left.
    public func finishMessage(limit: UInt64) throws(ProtocolViolation) -> [UInt8] {
        defer {
            if settings.noContextTakeover || streamEnded { inflateReset(stream) }
            streamEnded = false
            messageOutput = 0
        }
        return try inflate([0x00, 0x00, 0xFF, 0xFF], limit: limit)
    }

    /// Forgets a message that failed half-way (the connection is failing anyway).
    public func abandonMessage() {
        inflateReset(stream)
        streamEnded = false
        messageOutput = 0
    }

    private func inflate(_ input: [UInt8], limit: UInt64) throws(ProtocolViolation) -> [UInt8] {
        guard !streamEnded, !input.isEmpty else { return [] }
        var output: [UInt8] = []
        var failure: ProtocolViolation?
        var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
        input.withUnsafeBufferPointer { bytes in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress)
            stream.pointee.avail_in = UInt32(bytes.count)
            while failure == nil {
                var status: Int32 = Z_OK
                let produced = chunk.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = UInt32(out.count)
                    status = CZlib.inflate(stream, Z_SYNC_FLUSH)
                    return out.count - Int(stream.pointee.avail_out)
                }
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
                    continue  // More output may be pending.
                case Z_OK, Z_BUF_ERROR:
                    break  // All input consumed (a buffer error here only means no progress was possible).
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
