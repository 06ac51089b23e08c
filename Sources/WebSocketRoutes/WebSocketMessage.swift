/// One complete data message, as a handler receives or sends it.
public enum WebSocketMessage: Sendable, Hashable, CustomStringConvertible {
    case text(String)
    case binary([UInt8])

    /// The text of a text message; `nil` for a binary one.
    public var text: String? {
        if case .text(let text) = self { text } else { nil }
    }

    /// The bytes of a binary message; `nil` for a text one.
    public var binary: [UInt8]? {
        if case .binary(let bytes) = self { bytes } else { nil }
    }

    public var description: String {
        switch self {
        case .text(let text): "text \"\(text.count > 60 ? text.prefix(60) + "…" : Substring(text))\""
        case .binary(let bytes): "binary (\(bytes.count) bytes)"
        }
    }
}
