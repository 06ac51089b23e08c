import NIOConcurrencyHelpers
public import WebSocketRoutes

/// Who is in each room. A plain locked class rather than an actor: handlers call it from whichever task
/// serves a connection, and its work is a few dictionary operations.
public final class ChatRooms: Sendable {
    private let members = NIOLockedValueBox<[String: [WebSocketConnection: String]]>([:])

    public init() {}

    public func join(_ room: String, _ connection: WebSocketConnection, as name: String) {
        members.withLockedValue { $0[room, default: [:]][connection] = name }
    }

    public func leave(_ room: String, _ connection: WebSocketConnection) {
        members.withLockedValue { $0[room]?[connection] = nil }
    }

    /// The names in a room, sorted.
    public func names(in room: String) -> [String] {
        members.withLockedValue { ($0[room] ?? [:]).values.sorted() }
    }

    /// Sends `text` to everyone in the room but `sender`. A member whose connection is closing is skipped:
    /// its `onClose` removes it.
    public func broadcast(_ text: String, in room: String, except sender: WebSocketConnection? = nil) async {
        let recipients = members.withLockedValue { ($0[room] ?? [:]).keys.filter { $0 != sender } }
        for connection in recipients.sorted(by: { $0.request.attributes["user"] ?? "" < $1.request.attributes["user"] ?? "" }) {
            try? await connection.send(text: text)
        }
    }
}
