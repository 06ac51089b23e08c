import Scenario
import WebSocketCore

/// Finds the frames in a case's wire log, each direction as one stream, and says which record each frame
/// header began in. The opening request and response heads are skipped; decoding stops (with a note) at
/// bytes the log did not keep or at a header no parser can read.
struct WireLogDecoder {
    struct Decoded {
        /// Frame headers by the index of the record they began in.
        var headers: [Int: [String]] = [:]
        /// Frames per opcode name, each way.
        var frameCounts: [WireRecord.Direction: [String: Int]] = [:]
        var notes: [String] = []
    }

    static func decode(_ record: CaseRecord) -> Decoded {
        var decoded = Decoded()
        for direction in [WireRecord.Direction.sent, .received] {
            decodeStream(record, direction, into: &decoded)
        }
        return decoded
    }

    private static func decodeStream(_ record: CaseRecord, _ direction: WireRecord.Direction, into decoded: inout Decoded) {
        guard let handshake = record.handshake, handshake.upgraded else { return }
        var parser = FrameParser(
            .init(
                senderRole: direction == .sent ? .client : .server, mode: .diagnostic,
                maxFramePayloadLength: UInt64.max >> 1))
        // The head is followed by the first frame; find where it ends in the stream.
        // Over HTTP/2 the heads are HEADERS frames beside the stream: its first bytes are a frame's.
        var headBytesLeft = !handshake.headsAreInTheWire ? 0 : direction == .sent ? handshake.request.utf8.count : -1
        var headTail: [UInt8] = []
        for (index, wire) in record.wire.enumerated() where wire.direction == direction {
            var bytes = wire.bytes[...]
            if headBytesLeft > 0 {
                let skipped = min(headBytesLeft, bytes.count)
                bytes = bytes.dropFirst(skipped)
                headBytesLeft -= skipped
            } else if headBytesLeft < 0 {
                // The response head ends at the first CR LF CR LF of the stream.
                headTail += bytes
                guard let end = headTail.firstRange(of: [13, 10, 13, 10]) else { continue }
                let consumedBefore = headTail.count - bytes.count
                bytes = bytes.dropFirst(end.upperBound - consumedBefore)
                headBytesLeft = 0
                headTail = []
            }
            if bytes.isEmpty { continue }
            parser.append(Array(bytes))
            do {
                while let event = try parser.nextEvent() {
                    if case .header(let header, let violations) = event {
                        decoded.headers[index, default: []].append(describe(header, violations))
                        decoded.frameCounts[direction, default: [:]]["\(header.opcode)", default: 0] += 1
                    }
                }
            } catch {
                decoded.notes.append("\(direction == .sent ? "Sent" : "Received") frames are not decoded past record \(index + 1): \(error)")
                return
            }
            if wire.isTruncated {
                decoded.notes.append("The wire log keeps the first bytes only; frames are not decoded past record \(index + 1).")
                return
            }
        }
    }

    private static func describe(_ header: FrameHeader, _ violations: [ProtocolViolation]) -> String {
        var flags = header.fin ? "FIN" : "no FIN"
        for (bit, name) in [(header.rsv1, "RSV1"), (header.rsv2, "RSV2"), (header.rsv3, "RSV3")] where bit { flags += "+\(name)" }
        let mask = header.maskKey == nil ? "unmasked" : "masked"
        let problems = violations.isEmpty ? "" : " (\(violations.map(\.description).joined(separator: "; ")))"
        return "\(header.opcode) \(flags) \(mask) len=\(header.payloadLength)\(problems)"
    }
}
