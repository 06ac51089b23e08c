public import WebSocketCore

/// The reference echo server, sans-IO: it answers the opening handshake, echoes every text and binary
/// message, answers pings, pings on its own when configured, and closes on a pong timeout. It is the
/// testee of the in-process suite and what `wsspec serve` will run over TCP.
public final class EchoServer: ServerSession {
    public static let pingTimer = ServerTimer(rawValue: "ping")
    public static let pongTimer = ServerTimer(rawValue: "pong timeout")
    public static let closeTimer = ServerTimer(rawValue: "close timeout")

    private enum State {
        case awaitingRequest(HTTPHeadParser)
        case open(Connection)
        case finished
    }

    public let configuration: EchoServerConfiguration
    private var state: State
    private var pingsSent = 0
    private var awaitingPong = false

    public init(configuration: EchoServerConfiguration = EchoServerConfiguration()) {
        self.configuration = configuration
        state = .awaitingRequest(HTTPHeadParser(maxHeadSize: configuration.maxHeadSize))
    }

    public func receive(_ bytes: [UInt8]) -> [ServerAction] {
        switch state {
        case .finished:
            return []
        case .open(var connection):
            connection.append(bytes)
            state = .open(connection)
            // Any bytes show the peer is alive: a client busy sending a 16 MiB message cannot answer a ping
            // before the message ends, so the pong timeout runs from the last bytes received.
            let stillAlive: [ServerAction] = awaitingPong ? [.startTimer(Self.pongTimer, after: configuration.pongTimeout)] : []
            return stillAlive + answerEvents()
        case .awaitingRequest(var parser):
            let head: (head: [UInt8], rest: [UInt8])?
            do {
                head = try parser.append(bytes)
            } catch {
                state = .finished
                return refuse(ServerHandshake.refusal(status: 431, reason: error.description))
            }
            guard let head else {
                state = .awaitingRequest(parser)
                return []
            }
            let decision = ServerHandshake(subprotocols: configuration.subprotocols,
                                           permessageDeflate: configuration.permessageDeflate).respond(toRequestBytes: head.head)
            guard case .accept(_, let negotiated) = decision else {
                state = .finished
                return refuse(decision)
            }
            var connectionConfiguration = configuration.connection
            connectionConfiguration.permessageDeflate = negotiated.permessageDeflate
            state = .open(Connection(role: .server, configuration: connectionConfiguration))
            var actions: [ServerAction] = [.write(decision.bytes)]
            if let interval = configuration.pingInterval { actions.append(.startTimer(Self.pingTimer, after: interval)) }
            if !head.rest.isEmpty { actions += receive(head.rest) }
            return actions
        }
    }

    /// Answers each buffered event in turn, so that an echo goes out before the close frame of a protocol
    /// error that followed the message in the same read.
    private func answerEvents() -> [ServerAction] {
        var actions: [ServerAction] = []
        // The connection is stored back even when no event came: decoding consumed input, and under
        // permessage-deflate fed it to a decompressor that a discarded copy would make see it twice.
        while case .open(var connection) = state {
            let event = connection.nextEvent()
            actions += flush(&connection)
            state = .open(connection)
            guard let event else { break }
            actions += handle([event])
        }
        return actions
    }

    public func timerFired(_ timer: ServerTimer) -> [ServerAction] {
        guard case .open(var connection) = state else { return [] }
        var actions: [ServerAction] = []
        var events: [ConnectionEvent] = []
        switch timer {
        case Self.pingTimer:
            guard connection.state == .open, let interval = configuration.pingInterval else { return [] }
            pingsSent += 1
            try? connection.ping(Array("wsspec ping \(pingsSent)".utf8))
            if !awaitingPong {
                awaitingPong = true
                actions.append(.startTimer(Self.pongTimer, after: configuration.pongTimeout))
            }
            actions.append(.startTimer(Self.pingTimer, after: interval))
        case Self.pongTimer:
            guard awaitingPong, connection.state == .open else { return [] }
            awaitingPong = false
            actions.append(.cancelTimer(Self.pingTimer))
            events = (try? connection.close(code: .goingAway, reason: "no pong within \(configuration.pongTimeout)")) ?? []
        case Self.closeTimer:
            events = connection.closeTimerExpired()
        default:
            return []
        }
        actions += flush(&connection)
        state = .open(connection)
        return actions + handle(events)
    }

    public func transportEnded() -> [ServerAction] {
        guard case .open(var connection) = state else {
            state = .finished
            return []
        }
        let events = connection.transportClosed()
        state = .open(connection)
        return handle(events)
    }

    private func refuse(_ decision: ServerHandshake.Decision) -> [ServerAction] {
        [.write(decision.bytes), .closeTransport]
    }

    private func flush(_ connection: inout Connection) -> [ServerAction] {
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
                if awaitingPong {
                    awaitingPong = false
                    actions.append(.cancelTimer(Self.pongTimer))
                }
            case .startCloseTimer:
                actions.append(.startTimer(Self.closeTimer, after: configuration.closeTimeout))
            case .closeTransport:
                actions.append(.closeTransport)
            case .closed:
                state = .finished
                actions += [.cancelTimer(Self.pingTimer), .cancelTimer(Self.pongTimer), .cancelTimer(Self.closeTimer)]
            case .ping, .closeReceived, .failed:
                break
            }
        }
        return actions
    }

    /// Runs a command on the open connection and returns the bytes it queued. A command the connection
    /// refuses (it is closing) is dropped: an echo after the close has no one to go to.
    private func perform(_ command: (inout Connection) throws -> Void) -> [ServerAction] {
        guard case .open(var connection) = state else { return [] }
        try? command(&connection)
        let actions = flush(&connection)
        state = .open(connection)
        return actions
    }
}
