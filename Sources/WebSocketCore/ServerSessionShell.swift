/// What every server session does around its own logic, written once: the phases (upgrading, open, finished),
/// the opening handshake over the bytes its host feeds it, keepalive, the idle close, the close timer, and the
/// order in which a connection's own bytes (pongs, the close frame that fails it) and the session's answers reach
/// the wire. The reference server and the router's sessions keep one each and add what is theirs: echoing, or
/// delivering messages to a handler.
///
/// Every method appends the actions for the host to `actions` and hands back the connection's events (what the
/// peer did) for the owner's part; the shell has already done its own part of each (keepalive on a pong, the end
/// of the connection) and carried out the connection's orders to its host (the close timer, the transport).
public struct ServerSessionShell {
    public static let closeTimer = ServerTimer(rawValue: "close timeout")

    public enum Phase {
        case awaitingRequest(ServerUpgrade)
        case open(Connection)
        case finished
    }

    /// What bytes fed to the shell did to the opening handshake.
    public enum Opening {
        /// The connection was already open (or over), or the request is not complete yet.
        case unchanged
        /// The request was refused: its answer is written and the transport closes.
        case refused
        /// The request was accepted: its answer is written and the connection is open.
        case upgraded(NegotiatedHandshake)
    }

    public private(set) var phase: Phase
    private var keepalive: Keepalive?
    private let closeTimeout: Duration

    public init(maxHeadSize: Int, closeTimeout: Duration) {
        phase = .awaitingRequest(ServerUpgrade(maxHeadSize: maxHeadSize))
        self.closeTimeout = closeTimeout
    }

    /// The open connection, if there is one.
    public var connection: Connection? {
        if case .open(let connection) = phase { connection } else { nil }
    }

    /// Takes bytes from the host: while upgrading, the request (`decide` answers it), afterwards the connection's
    /// input, taken out event by event with `nextEvent`. On `.upgraded` the owner starts its keepalive, if any,
    /// before it takes the first event.
    public mutating func receive(
        _ bytes: [UInt8], configuration: Connection.Configuration, into actions: inout [ServerAction],
        decide: (HTTPRequestHead) -> ServerHandshake.Decision
    ) -> Opening {
        switch phase {
        case .finished:
            return .unchanged
        case .open(let connection):
            connection.append(bytes)
            actions += keepalive?.peerIsAlive() ?? []
            return .unchanged
        case .awaitingRequest(var upgrade):
            switch upgrade.receive(bytes, configuration: configuration, decide: decide) {
            case .needMore:
                phase = .awaitingRequest(upgrade)
                return .unchanged
            case .refused(let response):
                phase = .finished
                actions += [.write(response), .closeTransport]
                return .refused
            case .upgraded(let response, let connection, let negotiated):
                phase = .open(connection)
                actions.append(.write(response))
                return .upgraded(negotiated)
            }
        }
    }

    /// Pings the peer on `keepalive`'s clock, and closes when a pong does not come in time.
    public mutating func start(_ keepalive: Keepalive?, into actions: inout [ServerAction]) {
        self.keepalive = keepalive
        actions += keepalive?.start() ?? []
    }

    /// The next event of what was received, after the bytes the connection queued for it (so that an answer to
    /// this event goes out after them, and before the close frame of a protocol error that follows in the same
    /// read); `nil` when the buffered bytes hold no complete event.
    public mutating func nextEvent(into actions: inout [ServerAction]) -> ConnectionEvent? {
        guard case .open(let connection) = phase else { return nil }
        let event = connection.nextEvent()
        flush(into: &actions)
        guard let event else { return nil }
        take(event, into: &actions)
        obey(connection, into: &actions)
        return event
    }

    /// A timer the shell asked for fired: the close timer, the idle timer or keepalive's.
    public mutating func timerFired(_ timer: ServerTimer, into actions: inout [ServerAction]) -> [ConnectionEvent] {
        guard case .open(let connection) = phase else { return [] }
        var events: [ConnectionEvent] = []
        if timer == Self.closeTimer {
            events = connection.closeTimerExpired()
        } else if timer == .idle {
            connection.closeIdle()
        } else {
            guard connection.state == .open, let (timerActions, command) = keepalive?.fired(timer) else { return [] }
            actions += timerActions
            switch command {
            case .ping(let payload): try? connection.ping(payload)
            case .close(let code, let reason): try? connection.close(code: code, reason: reason)
            case nil: break
            }
        }
        flush(into: &actions)
        obey(connection, into: &actions)
        return take(events, into: &actions)
    }

    /// The host's transport ended.
    public mutating func transportEnded(into actions: inout [ServerAction]) -> [ConnectionEvent] {
        guard case .open(let connection) = phase else {
            phase = .finished
            return []
        }
        let events = connection.transportClosed()
        obey(connection, into: &actions)
        return take(events, into: &actions)
    }

    /// Runs a command of the owner's on the open connection (a send, a close), sends what it queued and carries
    /// out what it ordered; false when there is no open connection.
    public mutating func perform<Failure: Error>(
        into actions: inout [ServerAction], _ command: (Connection) throws(Failure) -> Void
    ) throws(Failure) -> Bool {
        guard case .open(let connection) = phase else { return false }
        try command(connection)
        flush(into: &actions)
        obey(connection, into: &actions)
        return true
    }

    /// Takes the bytes the open connection queued.
    public func flush(into actions: inout [ServerAction]) {
        guard case .open(let connection) = phase, connection.hasOutbound else { return }
        actions.append(.write(connection.takeOutbound()))
    }

    /// The connection's orders to its host, as actions.
    private func obey(_ connection: Connection, into actions: inout [ServerAction]) {
        for order in connection.takeOrders() {
            switch order {
            case .startCloseTimer: actions.append(.startTimer(Self.closeTimer, after: closeTimeout))
            case .closeTransport: actions.append(.closeTransport)
            }
        }
    }

    /// The shell's part of events: keepalive hears of pongs and stops at the end, and so does the close timer.
    @discardableResult
    private mutating func take(_ events: [ConnectionEvent], into actions: inout [ServerAction]) -> [ConnectionEvent] {
        for event in events { take(event, into: &actions) }
        return events
    }

    private mutating func take(_ event: ConnectionEvent, into actions: inout [ServerAction]) {
        switch event {
        case .pong:
            actions += keepalive?.pongReceived() ?? []
        case .closed:
            phase = .finished
            actions += (keepalive?.stop() ?? []) + [.cancelTimer(Self.closeTimer)]
        case .text, .binary, .ping, .closeReceived, .invalidCloseReceived, .failed:
            break
        }
    }
}
