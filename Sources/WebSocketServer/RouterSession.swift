import WebSocketCore

/// One connection to a router's server, sans-IO: the upgrade (routing, handshake, middleware), then the
/// protocol, keepalive and the closing handshake, with the route's handler running as a task in the
/// host's world. Everything it decides goes out through the host's `perform`, in order, so that a
/// handler's send, a pong and the close frame reach the wire in the order they were decided.
final class RouterSession: ServerSession, Sendable {
    static let pingTimer = ServerTimer(rawValue: "ping")
    static let pongTimer = ServerTimer(rawValue: "pong timeout")
    static let closeTimer = ServerTimer(rawValue: "close timeout")

    private enum Phase {
        case awaitingRequest(HTTPHeadParser)
        case open(Connection)
        case finished
    }

    private struct State {
        var phase: Phase
        var host: (any ServerSessionHost)?
        var route: Route?
        var awaitingPong = false
        var pingsSent = 0
        var inbox: AsyncThrowingStream<WebSocketMessage, any Error>.Continuation?
        /// Payload bytes delivered to the inbox and not yet taken by the handler; reading pauses above the limit.
        var queuedBytes = 0
        var readingPaused = false
        var closure: ConnectionClosure?
        var closureWaiters: [CheckedContinuation<ConnectionClosure, Never>] = []
    }

    private let router: WebSocketRouter
    private let state: LockedState<State>

    init(router: WebSocketRouter) {
        self.router = router
        state = LockedState(State(phase: .awaitingRequest(HTTPHeadParser(maxHeadSize: router.configuration.maxHeadSize))))
    }

    // MARK: ServerSession

    func attach(_ host: any ServerSessionHost) { state.withLock { $0.host = host } }

    func receive(_ bytes: [UInt8]) -> [ServerAction] {
        state.withLock { state in
            var actions: [ServerAction] = []
            switch state.phase {
            case .finished:
                return []
            case .open(var connection):
                connection.append(bytes)
                state.phase = .open(connection)
                answerEvents(&state, &actions)
            case .awaitingRequest(var parser):
                let head: (head: [UInt8], rest: [UInt8])?
                do {
                    head = try parser.append(bytes)
                } catch {
                    state.phase = .finished
                    return emit(refusal(ServerHandshake.refusal(status: 431, reason: "\(error)")), &state)
                }
                guard let head else {
                    state.phase = .awaitingRequest(parser)
                    return []
                }
                upgrade(head.head, &state, &actions)
                if case .open(var connection) = state.phase, !head.rest.isEmpty {
                    connection.append(head.rest)
                    state.phase = .open(connection)
                    answerEvents(&state, &actions)
                }
            }
            return emit(actions, &state)
        }
    }

    func timerFired(_ timer: ServerTimer) -> [ServerAction] {
        state.withLock { state in
            guard case .open(var connection) = state.phase else { return [] }
            var actions: [ServerAction] = []
            var events: [ConnectionEvent] = []
            switch timer {
            case Self.pingTimer:
                guard connection.state == .open, let ping = state.route?.ping else { return [] }
                state.pingsSent += 1
                try? connection.ping(Array(String(state.pingsSent).utf8))
                if !state.awaitingPong {
                    state.awaitingPong = true
                    actions.append(.startTimer(Self.pongTimer, after: ping.timeout))
                }
                actions.append(.startTimer(Self.pingTimer, after: ping.interval))
            case Self.pongTimer:
                guard state.awaitingPong, connection.state == .open, let ping = state.route?.ping else { return [] }
                state.awaitingPong = false
                actions.append(.cancelTimer(Self.pingTimer))
                events = (try? connection.close(code: ping.closeCode, reason: "no pong within \(ping.timeout)")) ?? []
            case Self.closeTimer:
                events = connection.closeTimerExpired()
            default:
                return []
            }
            flush(&connection, into: &actions)
            state.phase = .open(connection)
            for event in events { handle(event, &state, &actions) }
            return emit(actions, &state)
        }
    }

    func transportEnded() -> [ServerAction] {
        state.withLock { state in
            guard case .open(var connection) = state.phase else {
                state.phase = .finished
                return []
            }
            let events = connection.transportClosed()
            state.phase = .open(connection)
            var actions: [ServerAction] = []
            for event in events { handle(event, &state, &actions) }
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
            return []
        }
    }

    func ping(_ payload: [UInt8]) throws(WebSocketServerError) {
        guard payload.count <= 125 else { throw .pingPayloadTooLong(payload.count) }
        try command { connection, _ throws(WebSocketServerError) in
            do { try connection.ping(payload) } catch { throw .notOpen }
            return []
        }
    }

    /// Starts the closing handshake; nothing happens when it has already begun.
    func close(code: CloseCode, reason: String) throws(WebSocketServerError) {
        guard code.isSendable else { throw .invalidCloseCode(code) }
        try? command { connection, _ throws(WebSocketServerError) in
            do { return try connection.close(code: code, reason: reason) } catch { throw .notOpen }
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
    private func command(_ body: (inout Connection, Route) throws(WebSocketServerError) -> [ConnectionEvent]) throws(WebSocketServerError) {
        try state.withLock { state throws(WebSocketServerError) in
            guard case .open(var connection) = state.phase, let route = state.route else { throw .notOpen }
            let events = try body(&connection, route)
            var actions: [ServerAction] = []
            flush(&connection, into: &actions)
            state.phase = .open(connection)
            for event in events { handle(event, &state, &actions) }
            _ = emit(actions, &state)
        }
    }

    // MARK: Upgrade

    private func upgrade(_ head: [UInt8], _ state: inout State, _ actions: inout [ServerAction]) {
        let request: HTTPRequestHead
        do {
            request = try HTTPHeadParser.parseRequest(head)
        } catch {
            return refuse(400, error.description, &state, &actions)
        }
        let target = request.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(target[0])
        guard let (route, parameters) = router.route(for: path) else {
            return refuse(404, "no WebSocket route for \(path)", &state, &actions)
        }
        let decision = ServerHandshake(subprotocols: route.subprotocols,
                                       permessageDeflate: router.configuration.permessageDeflate).respond(to: request)
        guard case .accept(_, let negotiated) = decision else {
            state.phase = .finished
            actions += refusal(decision)
            return
        }
        var upgradeRequest = WebSocketRequest(path: path, query: target.count > 1 ? String(target[1]) : nil,
                                              headers: request.headers, parameters: parameters,
                                              subprotocol: negotiated.subprotocol)
        do {
            for middleware in route.middleware { try middleware.prepare(&upgradeRequest) }
        } catch {
            return refuse(error.status, error.reason, &state, &actions)
        }
        guard let host = state.host else {
            return refuse(500, "the server's host runs no handlers", &state, &actions)
        }
        let (messages, inbox) = AsyncThrowingStream.makeStream(of: WebSocketMessage.self)
        var connectionConfiguration = router.configuration.connection
        connectionConfiguration.permessageDeflate = negotiated.permessageDeflate
        state.phase = .open(Connection(role: .server, configuration: connectionConfiguration))
        state.route = route
        state.inbox = inbox
        actions.append(.write(decision.bytes))
        if let ping = route.ping { actions.append(.startTimer(Self.pingTimer, after: ping.interval)) }
        let connection = WebSocketConnection(session: self, request: upgradeRequest, mode: route.mode,
                                             messages: WebSocketMessages(base: messages, session: self),
                                             handlerFailureReason: router.configuration.handlerFailureReason)
        host.startTask { await HandlerDriver.run(route, on: connection) }
    }

    private func refuse(_ status: Int, _ reason: String, _ state: inout State, _ actions: inout [ServerAction]) {
        state.phase = .finished
        actions += refusal(ServerHandshake.refusal(status: status, reason: reason))
    }

    private func refusal(_ decision: ServerHandshake.Decision) -> [ServerAction] {
        [.write(decision.bytes), .closeTransport]
    }

    // MARK: Events

    /// Answers each buffered event in turn, so that what the connection queues itself (a pong, the close
    /// frame that fails it) goes out in order with everything else.
    private func answerEvents(_ state: inout State, _ actions: inout [ServerAction]) {
        // Stored back even when no event came: decoding consumed input (and would feed a decompressor twice).
        while case .open(var connection) = state.phase {
            let event = connection.nextEvent()
            flush(&connection, into: &actions)
            state.phase = .open(connection)
            guard let event else { break }
            handle(event, &state, &actions)
        }
    }

    private func handle(_ event: ConnectionEvent, _ state: inout State, _ actions: inout [ServerAction]) {
        switch event {
        case .text(let text):
            deliver(.text(text), &state, &actions)
        case .binary(let bytes):
            deliver(.binary(bytes), &state, &actions)
        case .ping:
            break  // Answered by the connection's auto-pong.
        case .pong:
            if state.awaitingPong {
                state.awaitingPong = false
                actions.append(.cancelTimer(Self.pongTimer))
            }
        case .closeReceived:
            // No data can follow the client's close frame.
            state.inbox?.finish()
            state.inbox = nil
        case .failed(let violation):
            state.inbox?.finish(throwing: violation)
            state.inbox = nil
        case .startCloseTimer:
            actions.append(.startTimer(Self.closeTimer, after: router.configuration.closeTimeout))
        case .closeTransport:
            actions.append(.closeTransport)
        case .closed(let closure):
            state.phase = .finished
            state.inbox?.finish()
            state.inbox = nil
            state.closure = closure
            for waiter in state.closureWaiters { waiter.resume(returning: closure) }
            state.closureWaiters = []
            actions += [.cancelTimer(Self.pingTimer), .cancelTimer(Self.pongTimer), .cancelTimer(Self.closeTimer)]
        }
    }

    /// A send-only route does not listen: the client's data is read (the protocol still checks it) and dropped.
    /// Above `maxQueuedBytes` of unread messages, the host stops reading until the handler catches up.
    private func deliver(_ message: WebSocketMessage, _ state: inout State, _ actions: inout [ServerAction]) {
        guard state.route?.mode != .sendOnly, let inbox = state.inbox else { return }
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
            guard state.readingPaused, state.queuedBytes <= router.configuration.maxQueuedBytes / 2 else { return }
            state.readingPaused = false
            _ = emit([.resumeReading], &state)
        }
    }

    var queuedBytes: Int { state.withLock { $0.queuedBytes } }

    private func flush(_ connection: inout Connection, into actions: inout [ServerAction]) {
        if connection.hasOutbound { actions.append(.write(connection.takeOutbound())) }
    }

    /// Hands actions to the host; a host that never attached gets them back as the call's result.
    private func emit(_ actions: [ServerAction], _ state: inout State) -> [ServerAction] {
        guard let host = state.host else { return actions }
        host.perform(actions)
        return []
    }
}
