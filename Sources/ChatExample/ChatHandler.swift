public import WebSocketRoutes

/// One handler serves every connection of `/chat/:room`: members hear each other's messages and who
/// joins and leaves.
public struct ChatHandler: WebSocketHandler {
    private let rooms: ChatRooms

    public init(rooms: ChatRooms) { self.rooms = rooms }

    public func onOpen(_ connection: WebSocketConnection) async throws {
        let (room, user) = Self.identity(of: connection)
        let present = rooms.names(in: room)
        rooms.join(room, connection, as: user)
        try await connection.send(text: present.isEmpty ? "welcome to \(room)" : "welcome to \(room), with \(present.joined(separator: ", "))")
        await rooms.broadcast("\(user) joined", in: room, except: connection)
    }

    public func onMessage(_ message: WebSocketMessage?, _ connection: WebSocketConnection) async throws -> WebSocketMessage? {
        let (room, user) = Self.identity(of: connection)
        switch message {
        case .text("/who"):
            return .text(rooms.names(in: room).joined(separator: ", "))
        case .text(let text):
            await rooms.broadcast("\(user): \(text)", in: room, except: connection)
        case .binary:
            // A text chat: binary data is a client error, said with the code made for it.
            try connection.close(code: .unsupportedData, reason: "text messages only")
        case nil:
            break
        }
        return nil
    }

    public func onClose(_ closure: ConnectionClosure, _ connection: WebSocketConnection) async {
        let (room, user) = Self.identity(of: connection)
        rooms.leave(room, connection)
        await rooms.broadcast("\(user) left", in: room)
    }

    /// The route guarantees both: `:room` is in the path, and `RequireUser` admitted the request.
    private static func identity(of connection: WebSocketConnection) -> (room: String, user: String) {
        (connection.request.parameters["room"] ?? "", connection.request.attributes["user"] ?? "")
    }
}
