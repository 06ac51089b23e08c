/// Follows the frames in the byte stream the client writes, so that the runner knows whether the stream
/// is between frames. Answers the client owes (a pong, the close echo) may only go out there: written in
/// the middle of a frame that a case sends in pieces, they would corrupt it.
struct FrameBoundaryTracker {
    private enum State {
        /// Collecting a frame header; `needed` is its full size once known.
        case header(bytes: [UInt8], needed: Int)
        case payload(remaining: UInt64)
    }

    private var state = State.header(bytes: [], needed: 2)

    var atBoundary: Bool {
        if case .header(let bytes, _) = state { return bytes.isEmpty }
        return false
    }

    mutating func consume(_ bytes: [UInt8]) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch state {
            case .payload(let remaining):
                let take = UInt64(bytes.endIndex - index) < remaining ? bytes.endIndex - index : Int(remaining)
                index += take
                state = remaining - UInt64(take) == 0 ? .header(bytes: [], needed: 2) : .payload(remaining: remaining - UInt64(take))
            case .header(var header, var needed):
                header.append(bytes[index])
                index += 1
                if header.count == 2 {
                    let masked = header[1] & 0x80 != 0
                    let lengthSize =
                        switch header[1] & 0x7F {
                        case 126: 2
                        case 127: 8
                        default: 0
                        }
                    needed = 2 + lengthSize + (masked ? 4 : 0)
                }
                state = header.count < needed ? .header(bytes: header, needed: needed) : Self.afterHeader(header)
            }
        }
    }

    private static func afterHeader(_ header: [UInt8]) -> State {
        var length = UInt64(header[1] & 0x7F)
        if length >= 126 {
            let size = length == 126 ? 2 : 8
            length = header[2..<(2 + size)].reduce(0) { $0 << 8 | UInt64($1) }
        }
        return length == 0 ? .header(bytes: [], needed: 2) : .payload(remaining: length)
    }
}
