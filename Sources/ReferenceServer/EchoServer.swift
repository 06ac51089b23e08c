public import WebSocketCore

/// The reference echo server, sans-IO: it answers the opening handshake, echoes every text and binary
/// message, answers pings, pings on its own when configured, and closes on a pong timeout. It is the
/// testee of the in-process suite and what `wsspec serve` will run over TCP.
public final class EchoServer: ServerSession {
    public static let closeTimer = ServerTimer(rawValue: "close timeout")

    private enum State {
        case awaitingRequest(ServerUpgrade)
        case open(Connection)
        case finished
    }

    public let configuration: EchoServerConfiguration
    private var state: State
    private var keepalive: Keepalive?
    private var messageMemory: MessageMemoryBudget?

    public init(configuration: EchoServerConfiguration = EchoServerConfiguration()) {
        self.configuration = configuration
        state = .awaitingRequest(ServerUpgrade(maxHeadSize: configuration.maxHeadSize))
        keepalive = configuration.pingInterval.map { Keepalive(interval: $0, timeout: configuration.pongTimeout) }
    }

    public func attach(_ host: any ServerSessionHost) {
        messageMemory = host.messageMemory
    }

    public func receive(_ bytes: [UInt8]) -> [ServerAction] {
        switch state {
        case .finished:
            return []
        case .open(let connection):
            connection.append(bytes)
            return (keepalive?.peerIsAlive() ?? []) + answerEvents()
        case .awaitingRequest(var upgrade):
            let handshake = ServerHandshake(subprotocols: configuration.subprotocols, permessageDeflate: configuration.permessageDeflate)
            switch upgrade.receive(bytes, configuration: configuration.connection.sharing(messageMemory), decide: handshake.respond(to:)) {
            case .needMore:
                state = .awaitingRequest(upgrade)
                return []
            case .refused(let response):
                state = .finished
                return [.write(response), .closeTransport]
            case .upgraded(let response, let connection, _):
                state = .open(connection)
                return [.write(response)] + (keepalive?.start() ?? []) + answerEvents()
            }
        }
    }

    /// Answers each buffered event in turn, so that an echo goes out before the close frame of a protocol
    /// error that followed the message in the same read.
    private func answerEvents() -> [ServerAction] {
        var actions: [ServerAction] = []
        while case .open(let connection) = state {
            let event = connection.nextEvent()
            actions += flush(connection)
            guard let event else { break }
            actions += handle([event])
        }
        return actions
    }

    public func timerFired(_ timer: ServerTimer) -> [ServerAction] {
        guard case .open(let connection) = state else { return [] }
        var actions: [ServerAction] = []
        var events: [ConnectionEvent] = []
        if timer == Self.closeTimer {
            events = connection.closeTimerExpired()
        } else if timer == .idle {
            events = connection.closeIdle()
        } else {
            guard connection.state == .open, let (timerActions, command) = keepalive?.fired(timer) else { return [] }
            actions = timerActions
            switch command {
            case .ping(let payload): try? connection.ping(payload)
            case .close(let code, let reason): events = (try? connection.close(code: code, reason: reason)) ?? []
            case nil: break
            }
        }
        actions += flush(connection)
        return actions + handle(events)
    }

    public func transportEnded() -> [ServerAction] {
        guard case .open(let connection) = state else {
            state = .finished
            return []
        }
        let events = connection.transportClosed()
        return handle(events)
    }

    private func flush(_ connection: Connection) -> [ServerAction] {
        connection.hasOutbound ? [.write(connection.takeOutbound())] : []
    }

    private func handle(_ events: [ConnectionEvent]) -> [ServerAction] {
        var actions: [ServerAction] = []
        for event in events {
            switch event {
            case .text(let text):
                actions += perform { try $0.send(text: text) }
            case .binary(let bytes):
                actions += perform { try $0.send(binary: bytes) }
            case .pong:
                actions += keepalive?.pongReceived() ?? []
            case .startCloseTimer:
                actions.append(.startTimer(Self.closeTimer, after: configuration.closeTimeout))
            case .closeTransport:
                actions.append(.closeTransport)
            case .closed:
                state = .finished
                actions += (keepalive?.stop() ?? []) + [.cancelTimer(Self.closeTimer)]
            case .ping, .closeReceived, .invalidCloseReceived, .failed:
                break
            }
        }
        return actions
    }

    /// Runs a command on the open connection and returns the bytes it queued. A command the connection
    /// refuses (it is closing) is dropped: an echo after the close has no one to go to.
    private func perform(_ command: (Connection) throws -> Void) -> [ServerAction] {
        guard case .open(let connection) = state else { return [] }
        try? command(connection)
        return flush(connection)
    }
}
