import WebSocketCore

/// Runs a route's code for one connection, as one task: the lifecycle callbacks in order, or the stream
/// function; a thrown error reaches `onError` and closes the connection with 1011.
enum HandlerDriver {
    static func run(_ route: Route, on connection: WebSocketConnection) async {
        switch route.body {
        case .callbacks(let handler):
            await runCallbacks(handler, route: route, on: connection)
        case .stream(let body):
            do {
                try await body(connection)
                try? connection.close()
            } catch {
                connection.closeAfterHandlerFailure()
            }
        }
    }

    private static func runCallbacks(_ handler: any WebSocketHandler, route: Route, on connection: WebSocketConnection) async {
        do {
            try await handler.onOpen(connection)
            if route.runOnConnect { try await reply(try await handler.onMessage(nil, connection), on: connection) }
            if route.mode == .sendOnly {
                try connection.close()
            } else {
                for try await message in connection.messages {
                    try await reply(try await handler.onMessage(message, connection), on: connection)
                }
            }
        } catch {
            await handler.onError(error, connection)
            // A client's protocol violation has already failed the connection with its own code.
            if !(error is ProtocolViolation) { connection.closeAfterHandlerFailure() }
        }
        await handler.onClose(await connection.closed(), connection)
    }

    /// Sends a callback's reply. A reply that finds the connection closing is dropped: the client is
    /// leaving, and `onClose` tells the handler so.
    private static func reply(_ message: WebSocketMessage?, on connection: WebSocketConnection) async throws {
        guard let message else { return }
        do {
            try await connection.send(message)
        } catch .notOpen {
            return
        }
    }
}
