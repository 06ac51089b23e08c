/// What receiving has cost a connection so far, in units of work rather than time: the bytes copied into
/// message buffers, and the bytes moved when a buffer had to be reallocated or compacted. Each received byte is
/// copied a bounded number of times whatever the peer's fragmentation, so these grow with what arrives; a
/// test that counts them fails if a quadratic path comes back, where a timing would only drift.
public struct ReceiveWork: Sendable, Hashable {
    /// Payload bytes copied (and unmasked or inflated) into messages and control frames.
    public var payloadBytesCopied = 0
    /// Times a message buffer was reallocated with bytes in it, and the bytes those reallocations moved.
    public var messageReallocations = 0
    public var messageBytesMoved = 0
    /// Bytes of not-yet-parsed input moved when the parser's buffer was compacted or reallocated.
    public var inputBytesMoved = 0

    public init() {}

    static func + (lhs: ReceiveWork, rhs: ReceiveWork) -> ReceiveWork {
        var sum = lhs
        sum.payloadBytesCopied += rhs.payloadBytesCopied
        sum.messageReallocations += rhs.messageReallocations
        sum.messageBytesMoved += rhs.messageBytesMoved
        sum.inputBytesMoved += rhs.inputBytesMoved
        return sum
    }

    /// A message buffer holding `count` bytes went from `before` to `after` capacity: a reallocation moved them.
    @inline(__always)
    mutating func noteMessageGrowth(count: Int, before: Int, after: Int) {
        guard before != after, count > 0 else { return }
        messageReallocations += 1
        messageBytesMoved += count
    }

    /// The parser's input buffer, holding `count` bytes, went from `before` to `after` capacity.
    @inline(__always)
    mutating func noteInputGrowth(count: Int, before: Int, after: Int) {
        guard before != after else { return }
        inputBytesMoved += count
    }
}
