import CFuzzShims
import WebSocketCore

/// The frame parser as the C shims see it.
enum FrameTarget {
    /// Large enough for every structure, small enough that a fuzzer's announced lengths stay cheap.
    static let maxFramePayloadLength: UInt64 = 1 << 20

    static func configuration(_ role: Int32, _ mode: Int32) -> FrameParser.Configuration {
        FrameParser.Configuration(
            senderRole: role == 0 ? .client : .server, mode: mode == 0 ? .strict : .diagnostic,
            maxFramePayloadLength: maxFramePayloadLength)
    }

    /// The function table the C shim calls (built on demand: C function tables are not Sendable).
    static var api: wsspec_frame_api {
        wsspec_frame_api(
            context: nil,
            parse_digest: { _, role, mode, data, size, cuts, cutCount in
                var parser = FrameParser(FrameTarget.configuration(role, mode))
                var digest = Digest()
                feeding: for piece in pieces(data, size, cuts, cutCount) {
                    parser.append(piece)
                    do {
                        while let parsed = try parser.nextFrame() { FrameTarget.add(parsed, to: &digest) }
                    } catch {
                        digest.add("error \(error)")
                        break feeding
                    }
                }
                return digest.value
            },
            reserialize: { _, role, mode, data, size, out, consumed in
                var parser = FrameParser(FrameTarget.configuration(role, mode))
                parser.append(pieces(data, size, nil, 0)[0])
                var written: [UInt8] = []
                var consumedBytes = 0
                while let parsed = try? parser.nextFrame() {
                    // The frame as it was on the wire: same key, same length form.
                    try? FrameSerializer.append(parsed.frame, lengthEncoding: parsed.lengthEncoding, to: &written)
                    consumedBytes = size - parser.bufferedByteCount
                }
                let count = min(written.count, size)
                written.withUnsafeBufferPointer { source in
                    if let base = source.baseAddress, let out { out.update(from: base, count: count) }
                }
                consumed?.pointee = consumedBytes
                return written.count
            }
        )
    }

    static func add(_ parsed: ParsedFrame, to digest: inout Digest) {
        let frame = parsed.frame
        let flags = (frame.fin ? 8 : 0) | (frame.rsv1 ? 4 : 0) | (frame.rsv2 ? 2 : 0) | (frame.rsv3 ? 1 : 0)
        digest.add(UInt64(flags << 8 | Int(frame.opcode.rawValue)))
        digest.add(UInt64(parsed.lengthEncoding.extendedLengthSize))
        digest.add(frame.maskKey?.array ?? [])
        digest.add(frame.payload)
        for violation in parsed.violations { digest.add("violation \(violation)") }
    }
}
