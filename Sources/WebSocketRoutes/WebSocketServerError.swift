public import WebSocketCore

/// Why a handler's command on its connection was refused.
public enum WebSocketServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The route is receive-only: the server may not send data messages.
    case sendingNotAllowed(path: String)
    /// The connection is closing or closed.
    case notOpen
    /// The code may not be sent in a close frame (1005, 1006, 1015, 1004, or outside 1000-4999).
    case invalidCloseCode(CloseCode)
    /// A ping's payload is limited to 125 bytes.
    case pingPayloadTooLong(Int)

    public var description: String {
        switch self {
        case .sendingNotAllowed(let path): "the route \(path) is receive-only: the server may not send"
        case .notOpen: "the connection is closing or closed"
        case .invalidCloseCode(let code): "close code \(code) may not be sent"
        case .pingPayloadTooLong(let count): "a ping payload of \(count) bytes exceeds 125"
        }
    }
}
