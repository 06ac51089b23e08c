/// What permessage-deflate did on one connection: bytes on the wire against bytes of the messages themselves.
public struct CompressionStatistics: Sendable, Hashable {
    public struct Direction: Sendable, Hashable {
        /// Compressed messages.
        public var messages = 0
        /// Their payload as sent: compressed, without the removed `00 00 ff ff`.
        public var wireBytes: UInt64 = 0
        /// Their payload before compression.
        public var plainBytes: UInt64 = 0

        public init() {}

        /// What happened after `earlier` was taken.
        public func since(_ earlier: Direction) -> Direction {
            var difference = Direction()
            difference.messages = messages - earlier.messages
            difference.wireBytes = wireBytes - earlier.wireBytes
            difference.plainBytes = plainBytes - earlier.plainBytes
            return difference
        }

        /// Wire bytes per message byte (0.25 means a quarter of the size); `nil` before any message.
        public var ratio: Double? { plainBytes == 0 ? nil : Double(wireBytes) / Double(plainBytes) }
    }

    public var sent = Direction()
    public var received = Direction()

    public init() {}
}
