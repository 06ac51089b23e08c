/// The client's messages on one connection, in order (see `WebSocketConnection.messages`). Taking one
/// frees its room in the server's queue, which is what lets reading resume after back-pressure.
public struct WebSocketMessages: AsyncSequence, Sendable {
    public typealias Element = WebSocketMessage

    let base: AsyncThrowingStream<WebSocketMessage, any Error>
    let session: RouterSession

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<WebSocketMessage, any Error>.AsyncIterator
        let session: RouterSession

        public mutating func next() async throws -> WebSocketMessage? {
            guard let message = try await base.next() else { return nil }
            session.consumed(message)
            return message
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), session: session) }
}

extension WebSocketMessage {
    /// The payload's size in bytes.
    var payloadCount: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .binary(let bytes): bytes.count
        }
    }
}
