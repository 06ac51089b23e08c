import WebSocketCore
import WireSim

/// One end of a WebSocket connection over a simulated link: the opening handshake, then a `Connection`.
/// Everything it sees is recorded in the simulation's trace as `<name> <event>`, which is what the tests
/// compare across link policies and seeds.
// Unchecked: it is confined to the simulation's driving thread, like everything the simulation runs.
final class SimulatedWebSocketPeer: LinkEndpoint, @unchecked Sendable {
    let name: String
    let role: Role
    let link: SimulatedLink
    let side: SimulatedLink.Side
    var simulation: Simulation { link.simulation }
    /// What the application does with each event (an echo server, a scripted client...).
    var onEvent: (SimulatedWebSocketPeer, ConnectionEvent) -> Void = { _, _ in }
    var onOpen: (SimulatedWebSocketPeer) -> Void = { _ in }
    var closeTimeout: Duration = .seconds(2)

    private(set) var connection: Connection?
    private var headParser = HTTPHeadParser()
    private var request: ClientHandshakeRequest?
    private var closeTimer: Simulation.EventID?
    private(set) var finished = false

    init(name: String, role: Role, link: SimulatedLink, side: SimulatedLink.Side) {
        self.name = name
        self.role = role
        self.link = link
        self.side = side
        link.attach(side, self)
    }

    /// A client starts the opening handshake; its nonce and mask keys come from the simulation's seed.
    func start() {
        guard role == .client else { return }
        let nonce = (0..<16).map { _ in UInt8.random(in: 0...255, using: &simulation.random) }
        let request = ClientHandshakeRequest(target: "/echo", host: "127.0.0.1", nonce: nonce)
        self.request = request
        link.send(from: side, request.serialize())
    }

    func send(text: String) { perform { try $0.send(text: text) } }
    func send(binary: [UInt8]) { perform { try $0.send(binary: binary) } }
    func send(_ opcode: Opcode, _ payload: [UInt8], fragmentSize: Int) {
        perform { try $0.send(opcode, payload: payload, fragmentSize: fragmentSize) }
    }
    func ping(_ payload: [UInt8]) { perform { try $0.ping(payload) } }
    func close(_ code: CloseCode, _ reason: String = "") {
        perform { try $0.close(code: code, reason: reason) }
        obeyOrders()
    }

    private func perform(_ command: (Connection) throws -> Void) {
        guard let connection else { return }
        do { try command(connection) } catch { simulation.record(name, "command refused: \(error)") }
        flush()
    }

    private func flush() {
        guard let connection, connection.hasOutbound else { return }
        let bytes = connection.takeOutbound()
        link.send(from: side, bytes)
    }

    // MARK: LinkEndpoint

    func linkDidReceive(_ bytes: [UInt8]) {
        if let connection {
            let events = connection.receive(bytes)
            flush()
            handle(events)
            obeyOrders()
            return
        }
        do {
            guard let (head, rest) = try headParser.append(bytes) else { return }
            try open(head: head)
            if !rest.isEmpty { linkDidReceive(rest) }
        } catch {
            simulation.record(name, "handshake failed: \(error)")
            link.shutdownWrite(from: side)
        }
    }

    private func open(head: [UInt8]) throws {
        switch role {
        case .server:
            let decision = ServerHandshake().respond(toRequestBytes: head)
            link.send(from: side, decision.bytes)
            guard case .accept = decision else {
                simulation.record(name, "refused \(decision.response.status)")
                link.shutdownWrite(from: side)
                return
            }
            connection = Connection(role: .server)
        case .client:
            _ = try ClientHandshakeValidator.validate(try HTTPHeadParser.parseResponse(head), for: request!)
            connection = Connection(role: .client, maskKeys: SeededMaskKeySource(seed: simulation.random.next()))
        }
        simulation.record(name, "open")
        onOpen(self)
    }

    func linkDidReachEndOfStream() { transportEnded() }
    func linkDidReset() { transportEnded() }

    private func transportEnded() {
        guard let connection, !finished else { return }
        let events = connection.transportClosed()
        handle(events)
    }

    /// What the connection asks of its host: the close timer, the end of the transport.
    private func obeyOrders() {
        guard let connection else { return }
        for order in connection.takeOrders() {
            switch order {
            case .startCloseTimer:
                simulation.record(name, "start close timer")
                closeTimer = simulation.schedule(after: closeTimeout) { [self] in
                    guard let connection = self.connection else { return }
                    let events = connection.closeTimerExpired()
                    obeyOrders()
                    handle(events)
                }
            case .closeTransport:
                simulation.record(name, "close transport")
                // Closing our socket ends the connection for us at once; the peer reads end-of-stream.
                link.shutdownWrite(from: side)
                simulation.schedule(after: .zero) { [self] in transportEnded() }
            }
        }
    }

    private func handle(_ events: [ConnectionEvent]) {
        for event in events {
            simulation.record(name, describe(event))
            switch event {
            case .closed:
                finished = true
                if let closeTimer { simulation.cancel(closeTimer) }
                link.shutdownWrite(from: side)
            default:
                break
            }
            onEvent(self, event)
        }
    }

    private func describe(_ event: ConnectionEvent) -> String {
        switch event {
        case .text(let text): "text \(text.debugDescription)"
        case .binary(let bytes): "binary \(bytes.count) bytes"
        case .ping(let payload): "ping \(payload)"
        case .pong(let payload): "pong \(payload)"
        case .closeReceived(let close): "close received \(close)"
        case .invalidCloseReceived(let payload): "invalid close received \(payload)"
        case .closed(let closure): "closed \(closure)"
        case .failed(let violation): "failed \(violation.closeCode.rawValue): \(violation)"
        }
    }
}

/// A client and an echo server over one link, with the client's script run once the connection opens.
struct EchoSession {
    let simulation: Simulation
    let link: SimulatedLink
    let client: SimulatedWebSocketPeer
    let server: SimulatedWebSocketPeer

    init(
        simulation: Simulation, options: LinkOptions, reverse: LinkOptions? = nil,
        script: @escaping (SimulatedWebSocketPeer) -> Void
    ) {
        self.simulation = simulation
        link = SimulatedLink(simulation: simulation, options: options, reverse: reverse)
        client = SimulatedWebSocketPeer(name: "client", role: .client, link: link, side: .a)
        server = SimulatedWebSocketPeer(name: "server", role: .server, link: link, side: .b)
        server.onEvent = { peer, event in
            switch event {
            case .text(let text): peer.send(text: text)
            case .binary(let bytes): peer.send(binary: bytes)
            default: break
            }
        }
        client.onOpen = script
    }

    /// Runs the session to its end (or for at most a minute of virtual time).
    func run() {
        client.start()
        simulation.run(until: VirtualInstant.zero.advanced(by: .seconds(60)))
    }
}

/// The standard client script: every kind of message, a ping, then a close after the replies are in.
func standardScript(_ client: SimulatedWebSocketPeer) {
    client.send(text: "hello")
    client.send(binary: Array(0..<200))
    client.send(.text, Array("a fragmented message, κόσμε".utf8), fragmentSize: 4)
    client.ping(Array("probe".utf8))
    var replies = 0
    client.onEvent = { peer, event in
        switch event {
        case .text, .binary:
            replies += 1
            if replies == 3 { peer.close(.normalClosure, "done") }
        default: break
        }
    }
}
