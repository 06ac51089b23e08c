public import WebSocketCore

/// An application's handler for one route, with lifecycle callbacks. One value serves every connection
/// of its route (it is created once, when the route is registered), so it keeps per-connection state in
/// the connection's own storage or keyed by `connection.id`.
///
/// Callbacks for one connection never overlap: open, then each message in order, then close.
public protocol WebSocketHandler: Sendable {
    /// The upgrade succeeded.
    func onOpen(_ connection: WebSocketConnection) async throws
    /// A data message arrived, or, once right after `onOpen` on a run-on-connect or send-only route, `nil`.
    /// A returned message is sent back.
    func onMessage(_ message: WebSocketMessage?, _ connection: WebSocketConnection) async throws -> WebSocketMessage?
    /// Something went wrong: a callback threw (the connection is then closed with 1011), or the client broke
    /// the protocol (a `ProtocolViolation`; the connection was failed with its code).
    func onError(_ error: any Error, _ connection: WebSocketConnection) async
    /// The connection is over; called once, last.
    func onClose(_ closure: ConnectionClosure, _ connection: WebSocketConnection) async
}

extension WebSocketHandler {
    public func onOpen(_ connection: WebSocketConnection) async throws {}
    public func onMessage(_ message: WebSocketMessage?, _ connection: WebSocketConnection) async throws -> WebSocketMessage? { nil }
    public func onError(_ error: any Error, _ connection: WebSocketConnection) async {}
    public func onClose(_ closure: ConnectionClosure, _ connection: WebSocketConnection) async {}
}

/// A handler that only answers messages: `router.ws("/echo") { message, _ in message }`.
struct ReplyHandler: WebSocketHandler {
    let reply: @Sendable (WebSocketMessage?, WebSocketConnection) async throws -> WebSocketMessage?

    func onMessage(_ message: WebSocketMessage?, _ connection: WebSocketConnection) async throws -> WebSocketMessage? {
        try await reply(message, connection)
    }
}

/// How a route's code is written.
enum RouteBody: Sendable {
    case callbacks(any WebSocketHandler)
    /// One function per connection that reads `connection.messages` itself; the connection closes
    /// normally when it returns.
    case stream(@Sendable (WebSocketConnection) async throws -> Void)
}
