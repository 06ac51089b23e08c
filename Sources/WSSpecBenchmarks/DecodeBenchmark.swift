import NIOCore
import NIOEmbedded
import NIOWebSocket
import WebSocketCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Decode + unmask throughput of masked client frames: wsspec's `FrameParser`, SwiftNIO's
/// `WebSocketFrameDecoder` in an `EmbeddedChannel`, and a plain `memcpy` of each frame's payload.
enum DecodeBenchmark {
    struct Row {
        let label: String
        let wsspec: Measurement
        let nio: Measurement
        let memcpy: Measurement
    }

    static let sizes: [(label: String, payload: Int, frames: Int)] = [
        ("125 B", 125, 32_768),
        ("64 KiB", 64 << 10, 64),
        ("16 MiB", 16 << 20, 1)
    ]

    static func run() throws -> [Row] {
        try sizes.map { size in
            var keys = SeededMaskKeySource(seed: 2026)
            var wire: [UInt8] = []
            let payload = (0..<size.payload).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            for _ in 0..<size.frames {
                try FrameSerializer.append(Frame(opcode: .binary, maskKey: keys.nextMaskKey(), payload: payload), to: &wire)
            }
            let totalPayload = size.payload * size.frames
            let limit = UInt64(size.payload) + 1

            let wsspec = try measure(bytesPerRun: totalPayload) {
                var parser = FrameParser(.init(senderRole: .client, maxFramePayloadLength: limit))
                parser.append(wire)
                var checksum = 0
                while let parsed = try parser.nextFrame() { checksum &+= Int(parsed.frame.payload[parsed.frame.payload.count - 1]) }
                return checksum
            }

            let nioInput = ByteBuffer(bytes: wire)
            let nio = try measure(bytesPerRun: totalPayload) {
                let channel = EmbeddedChannel(handler: ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: Int(limit))))
                try channel.writeInbound(nioInput)
                var checksum = 0
                while let frame = try channel.readInbound(as: WebSocketFrame.self) {
                    let data = frame.unmaskedData
                    checksum &+= Int(data.getInteger(at: data.readerIndex + data.readableBytes - 1, as: UInt8.self) ?? 0)
                }
                _ = try channel.finish()
                return checksum
            }

            // The same payload bytes, copied frame by frame: the floor for any decoder that hands out payloads.
            let source = [UInt8](repeating: 0x5A, count: totalPayload)
            var destination = [UInt8](repeating: 0, count: totalPayload)
            let copy = measure(bytesPerRun: totalPayload) {
                destination.withUnsafeMutableBytes { to in
                    source.withUnsafeBytes { from in
                        for frame in 0..<size.frames {
                            let offset = frame * size.payload
                            _ = memcpy(to.baseAddress! + offset, from.baseAddress! + offset, size.payload)
                        }
                    }
                }
                return Int(destination[totalPayload - 1])
            }
            return Row(label: "\(size.label) x \(size.frames)", wsspec: wsspec, nio: nio, memcpy: copy)
        }
    }
}
