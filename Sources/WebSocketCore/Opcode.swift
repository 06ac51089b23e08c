/// A frame opcode: any 4-bit value, reserved ones included, because the harness sends those on purpose.
public struct Opcode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8

    /// Any value is kept in its low four bits; the wire has no room for more.
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0F }

    public static let continuation = Opcode(rawValue: 0x0)
    public static let text = Opcode(rawValue: 0x1)
    public static let binary = Opcode(rawValue: 0x2)
    public static let close = Opcode(rawValue: 0x8)
    public static let ping = Opcode(rawValue: 0x9)
    public static let pong = Opcode(rawValue: 0xA)

    /// Control frames have the high bit of the opcode set (0x8–0xF), reserved ones included.
    public var isControl: Bool { rawValue & 0x8 != 0 }

    /// 0x3–0x7 (reserved data) and 0xB–0xF (reserved control) have no meaning in RFC 6455.
    public var isReserved: Bool { (0x3...0x7).contains(rawValue) || rawValue >= 0xB }

    public var description: String {
        switch self {
        case .continuation: "continuation"
        case .text: "text"
        case .binary: "binary"
        case .close: "close"
        case .ping: "ping"
        case .pong: "pong"
        default: "reserved(0x\(String(rawValue, radix: 16, uppercase: true)))"
        }
    }
}
