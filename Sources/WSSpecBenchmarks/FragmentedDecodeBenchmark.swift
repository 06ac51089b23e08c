import NIOCore
import NIOEmbedded
import NIOWebSocket
import WebSocketCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One message received whole through the server's receive path (parser, reassembly, unmasking), sent in one
/// frame or in many small fragments, beside SwiftNIO's decoder with its `NIOWebSocketFrameAggregator` and a
/// `memcpy` of the message. The input arrives in 64 KiB reads, as from a socket. The cost per fragment must not
/// grow with the message: a 16 MiB message in 64-byte fragments once cost 17 times what 1 MiB did, per byte.
enum FragmentedDecodeBenchmark {
    struct Row {
        let label: String
        let fragments: Int
        let wsspec: Measurement
        let nio: Measurement
        let memcpy: Measurement

        /// Nanoseconds per fragment through wsspec.
        var nanosecondsPerFragment: Double { wsspec.seconds * 1e9 / Double(fragments) }
    }

    static let shapes: [(label: String, size: Int, fragment: Int)] = [
        ("16 MiB, 1 frame", 16 << 20, 16 << 20),
        ("1 MiB / 64 B", 1 << 20, 64),
        ("16 MiB / 64 B", 16 << 20, 64),
        ("1 MiB / 1 B", 1 << 20, 1),
        ("16 MiB / 1 B", 16 << 20, 1)
    ]

    static let readSize = 64 << 10

    static func run() throws -> [Row] {
        try shapes.map { shape in
            let client = Connection(role: .client, maskKeys: SeededMaskKeySource(seed: 2026))
            let payload = (0..<shape.size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try client.send(.binary, payload: payload, fragmentSize: shape.fragment)
            let wire = client.takeOutbound()
            let reads = stride(from: 0, to: wire.count, by: readSize).map { Array(wire[$0..<min($0 + readSize, wire.count)]) }
            let fragments = (shape.size + shape.fragment - 1) / shape.fragment

            let wsspec = measure(bytesPerRun: shape.size, runs: 5, minimumSeconds: 0.2) {
                var configuration = Connection.Configuration()
                configuration.maxMessageLength = UInt64(shape.size)
                let server = Connection(role: .server, configuration: configuration)
                var checksum = 0
                for read in reads {
                    server.append(read)
                    while let event = server.nextEvent() {
                        if case .binary(let bytes) = event { checksum &+= bytes.count &+ Int(bytes[bytes.count - 1]) }
                    }
                }
                return checksum
            }

            let nioReads = reads.map { ByteBuffer(bytes: $0) }
            let nio = try measure(bytesPerRun: shape.size, runs: 5, minimumSeconds: 0.2) {
                let channel = EmbeddedChannel()
                try channel.pipeline.syncOperations.addHandlers([
                    ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: shape.size)),
                    NIOWebSocketFrameAggregator(
                        minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: Int.max,
                        maxAccumulatedFrameSize: shape.size)
                ])
                var checksum = 0
                for read in nioReads {
                    try channel.writeInbound(read)
                    while let frame = try channel.readInbound(as: WebSocketFrame.self) {
                        let data = frame.unmaskedData
                        checksum &+= data.readableBytes &+ Int(data.getInteger(at: data.readerIndex + data.readableBytes - 1, as: UInt8.self) ?? 0)
                    }
                }
                _ = try channel.finish()
                return checksum
            }

            // The message copied once into a fresh buffer: the floor for any receiver that hands out a message.
            let copy = measure(bytesPerRun: shape.size, runs: 5, minimumSeconds: 0.2) {
                let destination = [UInt8](unsafeUninitializedCapacity: shape.size) { buffer, count in
                    payload.withUnsafeBytes { _ = memcpy(buffer.baseAddress!, $0.baseAddress!, shape.size) }
                    count = shape.size
                }
                return Int(destination[shape.size - 1])
            }
            return Row(label: shape.label, fragments: fragments, wsspec: wsspec, nio: nio, memcpy: copy)
        }
    }
}
