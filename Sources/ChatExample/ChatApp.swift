public import WebSocketRoutes

/// The example application's routes:
/// - `/chat/:room` (behind `RequireUser`): a chat room; the server pings every 30 s and closes with 1001
///   when a pong does not come within 10 s;
/// - `/motd` (send-only): the message of the day, then a normal close;
/// - `/log` (receive-only): lines the client sends are kept; the server never answers;
/// - `/echo` (stream style): every message back, until the client says "bye".
public enum ChatApp {
    public static let keepalive = PingPolicy.every(.seconds(30), timeout: .seconds(10))

    public static func router(
        rooms: ChatRooms = ChatRooms(), log: MessageLog = MessageLog(),
        motd: String = "Welcome to wsspec chat"
    ) -> WebSocketRouter {
        var router = WebSocketRouter()
        router.group("/chat", middleware: [RequireUser()]) { chat in
            chat.ws("/:room", ping: keepalive, subprotocols: ["chat.v1"], handler: ChatHandler(rooms: rooms))
        }
        router.ws("/motd", mode: .sendOnly) { _, _ in .text(motd) }
        router.ws("/log", mode: .receiveOnly) { message, _ in
            if case .text(let line) = message { log.append(line) }
            return nil
        }
        router.ws("/echo") { connection in
            for try await message in connection.messages {
                if message == .text("bye") { return }
                try await connection.send(message)
            }
        }
        return router
    }
}
