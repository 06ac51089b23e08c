/// Which way data messages flow on a route.
public enum WebSocketMode: Sendable, Hashable {
    /// Both sides send whenever they like; the connection stays open until either closes it.
    case twoWay
    /// The server only listens: `send` throws, and a handler that returns a reply fails the connection.
    case receiveOnly
    /// The server only talks: the handler runs once at open (with no message), its reply is sent, then the
    /// connection closes normally (1000). Messages from the client are read and dropped.
    case sendOnly
}
