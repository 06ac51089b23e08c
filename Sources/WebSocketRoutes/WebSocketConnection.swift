public import WebSocketCore

/// A handler's side of one open connection. Its commands are safe from any task; they queue frames and
/// return at once.
public final class WebSocketConnection: Sendable, Hashable, Identifiable {
    /// The upgrade request, after middleware.
    public let request: WebSocketRequest
    public let mode: WebSocketMode
    /// The client's data messages, in order, for handlers that own the connection (`router.ws(_:stream:)`).
    /// It ends when the client's close frame arrives or the connection is lost, and throws the
    /// `ProtocolViolation` when the client broke the protocol. Lifecycle handlers get the messages through
    /// `onMessage` instead; only one reader may iterate it. While more than
    /// `ServerConfiguration.maxQueuedBytes` wait unread, the server stops reading from the client.
    public let messages: WebSocketMessages
    private let session: RouterSession
    private let handlerFailureReason: String

    init(
        session: RouterSession, request: WebSocketRequest, mode: WebSocketMode,
        messages: WebSocketMessages, handlerFailureReason: String
    ) {
        self.session = session
        self.request = request
        self.mode = mode
        self.messages = messages
        self.handlerFailureReason = handlerFailureReason
    }

    public var id: ObjectIdentifier { ObjectIdentifier(self) }

    /// Sends a data message. Throws on a receive-only route and once the closing handshake has begun. It
    /// queues the message, and returns at once unless the client leaves more than the server's output limit
    /// unread (`ConnectionLimits.maxQueuedOutput` over TCP): then it returns once the client has read half of
    /// it, so that a handler sending in a loop to a client that does not read is held rather than filling
    /// the server's memory.
    public func send(_ message: WebSocketMessage) async throws(WebSocketServerError) {
        try session.send(message)
        await session.host?.waitUntilWritable()
    }
    public func send(text: String) async throws(WebSocketServerError) { try await send(.text(text)) }
    public func send(binary: [UInt8]) async throws(WebSocketServerError) { try await send(.binary(binary)) }

    /// Sends a ping (at most 125 bytes of payload); the route's `PingPolicy` pings on its own.
    public func ping(_ payload: [UInt8] = []) throws(WebSocketServerError) { try session.ping(payload) }

    /// Starts the closing handshake. `code` must be one a close frame may carry (1000-1003, 1007-1014,
    /// 3000-4999); the reason is cut to the 123 bytes a close frame has room for, on a character boundary.
    /// Once the handshake has begun, further calls do nothing.
    public func close(code: CloseCode = .normalClosure, reason: String = "") throws(WebSocketServerError) {
        try session.close(code: code, reason: reason)
    }

    /// Payload bytes of received messages not yet taken from `messages` (or passed to `onMessage`).
    public var unreadBytes: Int { session.queuedBytes }

    /// How the connection ended; nil while it is open or closing.
    public var closure: ConnectionClosure? { session.closure }

    /// Waits until the connection is over.
    public func closed() async -> ConnectionClosure { await session.closed() }

    /// Sleeps on the server's clock: real time over TCP, virtual time under `WebSocketTesting`, where
    /// `advanceTime(by:)` wakes it. Handlers that wait should use this rather than `Task.sleep`.
    public func sleep(for duration: Duration) async throws {
        guard let host = session.host else { return }
        try await host.sleep(for: duration)
    }

    /// Closes with 1011 after a handler failed.
    func closeAfterHandlerFailure() { try? close(code: .internalServerError, reason: handlerFailureReason) }

    public static func == (lhs: WebSocketConnection, rhs: WebSocketConnection) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
