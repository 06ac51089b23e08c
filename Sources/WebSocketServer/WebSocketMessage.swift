/// One complete data message, as a handler receives or sends it.
public enum WebSocketMessage: Sendable, Hashable, CustomStringConvertible {
    case text(String)
    case binary([UInt8])

    public var description: String {
        switch self {
        case .text(let text): "text \"\(text.count > 60 ? text.prefix(60) + "…" : Substring(text))\""
        case .binary(let bytes): "binary (\(bytes.count) bytes)"
        }
    }
}
