import WebSocketCore

/// One connection to a router's server, sans-IO: the upgrade (routing, handshake, middleware), then the
/// protocol, keepalive and the closing handshake, with the route's handler running as a task in the
/// host's world. Everything it decides goes out through the host's `perform`, in order, so that a
/// handler's send, a pong and the close frame reach the wire in the order they were decided.
final class RouterSession: ServerSession, Sendable {
    private struct State {
        var shell: ServerSessionShell
        var host: (any ServerSessionHost)?
        var route: Route?
        var inbox: AsyncThrowingStream<WebSocketMessage, any Error>.Continuation?
        /// Payload bytes delivered to the inbox and not yet taken by the handler; reading pauses above the limit.
        var queuedBytes = 0
        /// Of those, what is charged to the host's shared message memory (given back as the handler takes them).
        var chargedBytes = 0
        var readingPaused = false
        var closure: ConnectionClosure?
        var closureWaiters: [CheckedContinuation<ConnectionClosure, Never>] = []
    }

    private let router: WebSocketRouter
    private let state: LockedState<State>

    init(router: WebSocketRouter) {
        self.router = router
        state = LockedState(
            State(
                shell: ServerSessionShell(
                    maxHeadSize: router.configuration.maxHeadSize,
                    closeTimeout: router.configuration.closeTimeout)))
    }

    // MARK: ServerSession

    func attach(_ host: any ServerSessionHost) { state.withLock { $0.host = host } }

    func receive(_ bytes: [UInt8]) -> [ServerAction] {
        state.withLock { state in
            var actions: [ServerAction] = []
            upgrade(bytes, &state, &actions)
            answerEvents(&state, &actions)
            return emit(actions, &state)
        }
    }

    func timerFired(_ timer: ServerTimer) -> [ServerAction] {
        state.withLock { state in
            var actions: [ServerAction] = []
            for event in state.shell.timerFired(timer, into: &actions) { handle(event, &state, &actions) }
            return emit(actions, &state)
        }
    }

    func transportEnded() -> [ServerAction] {
        state.withLock { state in
            var actions: [ServerAction] = []
            for event in state.shell.transportEnded(into: &actions) { handle(event, &state, &actions) }
            return emit(actions, &state)
        }
    }

    // MARK: Commands from the handler

    func send(_ message: WebSocketMessage) throws(WebSocketServerError) {
        try command { connection, route throws(WebSocketServerError) in
            guard route.mode != .receiveOnly else { throw .sendingNotAllowed(path: route.pattern.description) }
            do {
                switch message {
                case .text(let text): try connection.send(text: text)
                case .binary(let bytes): try connection.send(binary: bytes)
                }
            } catch {
                throw .notOpen
            }
        }
    }

    func ping(_ payload: [UInt8]) throws(WebSocketServerError) {
        guard payload.count <= 125 else { throw .pingPayloadTooLong(payload.count) }
        try command { connection, _ throws(WebSocketServerError) in
            do { try connection.ping(payload) } catch { throw .notOpen }
        }
    }

    /// Starts the closing handshake; nothing happens when it has already begun.
    func close(code: CloseCode, reason: String) throws(WebSocketServerError) {
        guard code.isSendable else { throw .invalidCloseCode(code) }
        try? command { connection, _ throws(WebSocketServerError) in
            do { try connection.close(code: code, reason: reason) } catch { throw .notOpen }
        }
    }

    var closure: ConnectionClosure? { state.withLock { $0.closure } }

    var host: (any ServerSessionHost)? { state.withLock { $0.host } }

    /// Waits until the connection is over.
    func closed() async -> ConnectionClosure {
        await withCheckedContinuation { continuation in
            let known = state.withLock { state -> ConnectionClosure? in
                if let closure = state.closure { return closure }
                state.closureWaiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }

    /// Runs a command on the open connection and sends what it queued, then handles the events it returned.
    private func command(_ body: (Connection, Route) throws(WebSocketServerError) -> Void) throws(WebSocketServerError) {
        try state.withLock { state throws(WebSocketServerError) in
            guard let route = state.route else { throw .notOpen }
            var actions: [ServerAction] = []
            let ran = try state.shell.perform(into: &actions) { connection throws(WebSocketServerError) in try body(connection, route) }
            guard ran else { throw .notOpen }
            _ = emit(actions, &state)
        }
    }

    // MARK: Upgrade

    /// Routing, the handshake and the route's guards decide on the request; an accepted one starts the
    /// route's handler.
    private func upgrade(_ bytes: [UInt8], _ state: inout State, _ actions: inout [ServerAction]) {
        var accepted: (route: Route, request: WebSocketRequest)?
        let hasHost = state.host != nil
        let router = router
        let opening = state.shell.receive(
            bytes, configuration: router.configuration.connection.sharing(state.host?.messageMemory),
            into: &actions
        ) { request in
            let target = request.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            let path = String(target[0])
            guard let (route, parameters) = router.route(for: path) else {
                return ServerHandshake.refusal(status: 404, reason: "no WebSocket route for \(path)")
            }
            let decision = ServerHandshake(
                subprotocols: route.subprotocols,
                permessageDeflate: router.configuration.permessageDeflate
            ).respond(to: request)
            guard case .accept(_, let negotiated) = decision else { return decision }
            var upgradeRequest = WebSocketRequest(
                path: path, query: target.count > 1 ? String(target[1]) : nil,
                headers: request.headers, parameters: parameters,
                subprotocol: negotiated.subprotocol)
            do throws(UpgradeRefusal) {
                for middleware in route.middleware { try middleware.prepare(&upgradeRequest) }
            } catch {
                return ServerHandshake.refusal(status: error.status, reason: error.reason)
            }
            guard hasHost else { return ServerHandshake.refusal(status: 500, reason: "the server's host runs no handlers") }
            accepted = (route, upgradeRequest)
            return decision
        }
        guard case .upgraded = opening else { return }
        // Only an accepted request upgrades, and only with a host.
        guard let (route, upgradeRequest) = accepted, let host = state.host else { return }
        let (messages, inbox) = AsyncThrowingStream.makeStream(of: WebSocketMessage.self)
        state.route = route
        state.inbox = inbox
        state.shell.start(route.ping.map { Keepalive(interval: $0.interval, timeout: $0.timeout, closeCode: $0.closeCode) }, into: &actions)
        let webSocket = WebSocketConnection(
            session: self, request: upgradeRequest, mode: route.mode,
            messages: WebSocketMessages(base: messages, session: self),
            handlerFailureReason: router.configuration.handlerFailureReason)
        host.startTask { await HandlerDriver.run(route, on: webSocket) }
    }

    // MARK: Events

    /// Answers each buffered event in turn, so that what the connection queues itself (a pong, the close
    /// frame that fails it) goes out in order with everything else.
    private func answerEvents(_ state: inout State, _ actions: inout [ServerAction]) {
        while let event = state.shell.nextEvent(into: &actions) { handle(event, &state, &actions) }
    }

    /// The router's part of an event (the shell has done its own: keepalive, the close timer, the transport).
    private func handle(_ event: ConnectionEvent, _ state: inout State, _ actions: inout [ServerAction]) {
        switch event {
        case .text(let text):
            deliver(.text(text), &state, &actions)
        case .binary(let bytes):
            deliver(.binary(bytes), &state, &actions)
        case .ping, .pong:
            break // Pings are answered by the connection's auto-pong; pongs are keepalive's, in the shell.
        case .invalidCloseReceived:
            break // `failed` follows.
        case .closeReceived:
            // No data can follow the client's close frame.
            state.inbox?.finish()
            state.inbox = nil
        case .failed(let violation):
            state.inbox?.finish(throwing: violation)
            state.inbox = nil
        case .closed(let closure):
            state.host?.messageMemory?.release(state.chargedBytes)
            state.chargedBytes = 0
            state.inbox?.finish()
            state.inbox = nil
            state.closure = closure
            for waiter in state.closureWaiters { waiter.resume(returning: closure) }
            state.closureWaiters = []
        }
    }

    /// A send-only route does not listen: the client's data is read (the protocol still checks it) and dropped.
    /// Above `maxQueuedBytes` of unread messages, the host stops reading until the handler catches up.
    /// Unread messages stay charged to the host's shared message memory; one that does not fit fails the
    /// connection with 1013 (Try Again Later), as a message in progress would.
    private func deliver(_ message: WebSocketMessage, _ state: inout State, _ actions: inout [ServerAction]) {
        guard state.route?.mode != .sendOnly, let inbox = state.inbox else { return }
        if let budget = state.host?.messageMemory {
            guard budget.reserve(message.payloadCount) else {
                _ = state.shell.perform(into: &actions) { connection in
                    try? connection.close(code: .tryAgainLater, reason: "no memory left for unread messages")
                }
                return
            }
            state.chargedBytes += message.payloadCount
        }
        inbox.yield(message)
        state.queuedBytes += message.payloadCount
        if !state.readingPaused, state.queuedBytes > router.configuration.maxQueuedBytes {
            state.readingPaused = true
            actions.append(.pauseReading)
        }
    }

    /// The handler took a message from the inbox; reading resumes once half the limit is free again.
    func consumed(_ message: WebSocketMessage) {
        state.withLock { state in
            state.queuedBytes -= message.payloadCount
            let charged = min(message.payloadCount, state.chargedBytes)
            state.host?.messageMemory?.release(charged)
            state.chargedBytes -= charged
            guard state.readingPaused, state.queuedBytes <= router.configuration.maxQueuedBytes / 2 else { return }
            state.readingPaused = false
            _ = emit([.resumeReading], &state)
        }
    }

    var queuedBytes: Int { state.withLock { $0.queuedBytes } }

    /// Hands actions to the host; a host that never attached gets them back as the call's result.
    private func emit(_ actions: [ServerAction], _ state: inout State) -> [ServerAction] {
        guard let host = state.host else { return actions }
        host.perform(actions)
        return []
    }
}
