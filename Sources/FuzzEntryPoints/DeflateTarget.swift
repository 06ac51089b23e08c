import CFuzzShims
import WebSocketCore

/// The permessage-deflate codec as the C shims see it.
enum DeflateTarget {
    /// The function table the C shim calls (built on demand: C function tables are not Sendable).
    static var api: wsspec_deflate_api {
        wsspec_deflate_api(
            context: nil,
            inflate: { _, windowBits, limit, data, size, cuts, cutCount in
                let decompressor = DeflateDecompressor(DeflateSettings(windowBits: Int(windowBits)))
                var outcome = wsspec_inflate_outcome(kind: Int32(WSSPEC_INFLATE_OK), size: 0, digest: WSSPEC_FNV1A_OFFSET)
                func add(_ bytes: [UInt8]) {
                    outcome.size += UInt64(bytes.count)
                    outcome.digest = bytes.withUnsafeBufferPointer { wsspec_fnv1a(outcome.digest, $0.baseAddress, $0.count) }
                }
                do throws(ProtocolViolation) {
                    for piece in pieces(data, size, cuts, cutCount) { add(try decompressor.decompress(piece, limit: limit)) }
                    add(try decompressor.finishMessage(limit: limit))
                } catch .messageTooLarge {
                    outcome.kind = Int32(WSSPEC_INFLATE_TOO_BIG)
                } catch {
                    outcome.kind = Int32(WSSPEC_INFLATE_INVALID)
                }
                return outcome
            },
            round_trip: { _, windowBits, contextTakeover, data, size, cuts, cutCount in
                let settings = DeflateSettings(windowBits: Int(windowBits), noContextTakeover: contextTakeover == 0)
                let compressor = DeflateCompressor(settings), decompressor = DeflateDecompressor(settings)
                for message in pieces(data, size, cuts, cutCount) {
                    let compressed = compressor.compress(message)
                    guard let plain = try? decompressor.decompress(compressed, limit: .max) + decompressor.finishMessage(limit: .max),
                        plain == message
                    else { return 0 }
                }
                return 1
            }
        )
    }
}
