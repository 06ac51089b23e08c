/// Which end of a WebSocket connection an endpoint plays. The role decides the masking rule:
/// a client masks every frame it sends, a server masks none (RFC 6455 §5.1).
public enum Role: Sendable, Hashable, CustomStringConvertible {
    case client
    case server

    /// The role at the other end of the connection.
    public var peer: Role {
        switch self {
        case .client: .server
        case .server: .client
        }
    }

    /// Whether frames sent by this role must carry a mask.
    public var masksOutgoingFrames: Bool { self == .client }

    public var description: String {
        switch self {
        case .client: "client"
        case .server: "server"
        }
    }
}
