internal import CZlib

/// Compresses messages for permessage-deflate: raw DEFLATE, flushed at each message's end with an empty
/// stored block whose `00 00 ff ff` tail is then removed (RFC 7692 §7.2.1).
// A class: a z_stream must stay at one address for its whole life.
public final class DeflateCompressor {
    public let settings: DeflateSettings
    private let stream: UnsafeMutablePointer<z_stream>

    /// - Parameter level: zlib's compression level, 0 (store) to 9; -1 is zlib's default (6).
    public init(_ settings: DeflateSettings, level: Int32 = -1) {
        self.settings = settings
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // zlib refuses an 8-bit window for raw DEFLATE. A 9-bit one is safe to use instead: deflate never
        // reaches back more than the window size less 262 bytes, so its distances stay within 250 < 256.
        let windowBits = Int32(min(max(settings.windowBits, 9), 15))
        // memLevel 8 is zlib's default; only the return value's failure mode (out of memory) is possible here.
        let status = czlib_deflate_init_raw(stream, level, windowBits, 8)
        precondition(status == Z_OK, "deflateInit2 failed (\(status)): out of memory")
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// One whole message's payload, compressed, without the trailing `00 00 ff ff`.
    public func compress(_ message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count / 2 + 64)
        var chunk = [UInt8](repeating: 0, count: max(4096, min(message.count + 64, 1 << 16)))
        message.withUnsafeBufferPointer { input in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.pointee.avail_in = UInt32(input.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = UInt32(out.count)
                    deflate(stream, Z_SYNC_FLUSH)
                    output.append(contentsOf: out.prefix(out.count - Int(stream.pointee.avail_out)))
                }
            } while stream.pointee.avail_out == 0 || stream.pointee.avail_in > 0
            stream.pointee.next_in = nil
        }
        stream.pointee.next_out = nil
        // A sync flush always ends in an empty stored block, 00 00 ff ff; the receiver puts it back.
        if output.count >= 4, output.suffix(4).elementsEqual([0x00, 0x00, 0xFF, 0xFF]) { output.removeLast(4) }
        // An empty message right after another, with context takeover: zlib has nothing to flush and writes nothing,
        // but the receiver appends 00 00 ff ff, which is a whole empty stored block only behind its header byte. So
        // the message is that byte, 00 (RFC 7692 §7.2.3.6); without it the receiver's inflater reads the next
        // message as the block's length.
        if output.isEmpty { output = [0x00] }
        if settings.noContextTakeover { deflateReset(stream) }
        return output
    }
}
