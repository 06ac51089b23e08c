/// Everything that happened in a simulated run: every byte that crossed a link (with its virtual time and
/// direction), link faults, and the events endpoints chose to record. Its text form is stable (one line
/// per entry, full hex), so two runs can be diffed and a report can quote it.
public struct Trace: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            /// Bytes delivered from one end of a link to the other.
            case bytes(from: String, to: String, [UInt8])
            /// The sender shut down its direction (FIN): the receiver reads end-of-stream.
            case endOfStream(from: String, to: String)
            /// The connection was reset; `by` is the side that reset it, or "link" for a loss.
            case reset(link: String, by: String)
            /// A segment was held by a stall or released from one.
            case stall(from: String, to: String, held: Bool)
            case event(source: String, description: String)
        }

        public let time: VirtualInstant
        public let kind: Kind

        public var text: String {
            switch kind {
            case .bytes(let from, let to, let bytes):
                return "\(time) \(from)>\(to) \(bytes.count) \(hex(bytes))"
            case .endOfStream(let from, let to):
                return "\(time) \(from)>\(to) FIN"
            case .reset(let link, let by):
                return "\(time) \(link) RESET by \(by)"
            case .stall(let from, let to, let held):
                return "\(time) \(from)>\(to) \(held ? "STALL" : "RELEASE")"
            case .event(let source, let description):
                return "\(time) \(source) \(description)"
            }
        }
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    mutating func append(_ entry: Entry) { entries.append(entry) }

    /// One line per entry: `<seconds.nanoseconds> <from>><to> <count> <hex>` for bytes, and
    /// `<time> <source> <description>` for events.
    public var text: String { entries.map(\.text).joined(separator: "\n") }

    /// The bytes that went one way, concatenated (segmentation removed).
    public func stream(from: String, to: String) -> [UInt8] {
        entries.flatMap { entry -> [UInt8] in
            if case .bytes(from, to, let bytes) = entry.kind { return bytes }
            return []
        }
    }

    /// The sizes of the segments that went one way, in order.
    public func segmentSizes(from: String, to: String) -> [Int] {
        entries.compactMap { entry in
            if case .bytes(from, to, let bytes) = entry.kind { return bytes.count }
            return nil
        }
    }

    /// The recorded endpoint events only, without times: what the application saw.
    public func events(of source: String? = nil) -> [String] {
        entries.compactMap { entry in
            if case .event(let s, let description) = entry.kind, source == nil || s == source { return "\(s) \(description)" }
            return nil
        }
    }
}

private func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}
