public import Transport
public import WebSocketCore
public import WebSocketRoutes
import WireSim

/// A WebSocket client over any `ByteTransport`: the simulated link of a `TestServer`, or TCP. It does
/// the opening handshake, then speaks through a client-role `Connection`, answering pings (unless told
/// not to) and the server's close frame, and queues what arrives for the test to take.
///
/// Not `Sendable`: its connection (and zlib's state, with compression on) is unlocked, so one task owns it.
/// A `TestConnection`, which may be shared, reaches its session only under its server's driving lock.
public final class ClientSession {
    /// How the opening handshake went: the negotiated subprotocol and extensions.
    public let negotiated: NegotiatedHandshake
    /// How long to wait for the server to end the connection after the closing handshake.
    public var closeTimeout: Duration = .seconds(5)
    /// Pings received (already answered when `respondsToPings`), in order.
    public private(set) var pingsReceived: [[UInt8]] = []
    public private(set) var pongsReceived: [[UInt8]] = []
    /// The server's close frame, once it came.
    public private(set) var closeFrame: ClosePayload?
    /// How the connection ended, once it did.
    public private(set) var closure: ConnectionClosure?
    /// What broke the protocol, when the server did.
    public private(set) var violation: ProtocolViolation?

    private let transport: any ByteTransport
    private let connection: Connection
    private var messages = FIFOQueue<WebSocketMessage>()
    private var closeDeadline: Duration?
    private var transportEnded = false

    private init(transport: any ByteTransport, negotiated: NegotiatedHandshake, connection: Connection) {
        self.transport = transport
        self.connection = connection
        self.negotiated = negotiated
    }

    /// Performs the opening handshake over `transport`.
    public static func connect(
        over transport: any ByteTransport, request: ClientHandshakeRequest,
        maskKeys: any MaskKeySource, respondsToPings: Bool = true,
        timeout: Duration = .seconds(10)
    ) async throws(ClientSessionError) -> ClientSession {
        var configuration = Connection.Configuration()
        configuration.autoPong = respondsToPings
        switch await ClientOpening.open(request, over: transport, configuration: configuration, maskKeys: maskKeys, timeout: timeout) {
        case .upgraded(_, let negotiated, let connection):
            let session = ClientSession(transport: transport, negotiated: negotiated, connection: connection)
            await session.absorb([])
            return session
        case .refused(let answer):
            // The body (the refusal's reason) may trail the head a little: take what is here.
            let reason = await readBody(after: answer.rest, from: transport, deadline: transport.elapsed + .milliseconds(100))
            await transport.close()
            throw .upgradeRefused(status: answer.response.status, reason: reason)
        case .notHTTP(let error, _):
            await transport.abort()
            throw .invalidHandshake(.notSwitchingProtocols(status: 0, reasonPhrase: error.description))
        case .invalidUpgrade(_, let failure):
            await transport.abort()
            throw .invalidHandshake(failure)
        case .ended:
            throw .closed(closeFrame: nil, closure: nil)
        case .timedOut:
            await transport.abort()
            throw .timedOut(after: timeout)
        }
    }

    private static func readBody(after bytes: [UInt8], from transport: any ByteTransport, deadline: Duration) async -> String {
        var body = bytes
        while body.count < 4096, case .bytes(let more) = await transport.read(until: deadline) { body += more }
        return String(decoding: body, as: UTF8.self)
    }

    // MARK: Sending

    public func send(text: String) async throws(ClientSessionError) {
        try await command { (connection) throws(Connection.CommandError) in try connection.send(text: text) }
    }
    public func send(binary: [UInt8]) async throws(ClientSessionError) {
        try await command { (connection) throws(Connection.CommandError) in try connection.send(binary: binary) }
    }

    /// Sends any frame as given, broken ones included (a missing mask key is filled in).
    public func send(frame: Frame) async throws(ClientSessionError) {
        try await command { (connection) throws(Connection.CommandError) in try connection.send(frame) }
    }

    /// Writes bytes as they are, bypassing the protocol.
    public func send(raw bytes: [UInt8]) async {
        connection.sendRaw(bytes)
        await flush()
    }

    public func ping(_ payload: [UInt8] = []) async throws(ClientSessionError) {
        try await command { (connection) throws(Connection.CommandError) in try connection.ping(payload) }
    }

    /// Sends a close frame; `receiveClosure` then waits for the server's answer.
    public func close(code: CloseCode? = .normalClosure, reason: String = "") async throws(ClientSessionError) {
        try await command { (connection) throws(Connection.CommandError) in try connection.close(code: code, reason: reason) }
        await obeyOrders()
    }

    /// Drops the connection at once (TCP RST), with no closing handshake.
    public func abort() async {
        guard closure == nil else { return }
        await transport.abort()
        transportEnded = true
        await handle(connection.transportClosed())
    }

    private func command(_ body: (Connection) throws(Connection.CommandError) -> Void) async throws(ClientSessionError) {
        do {
            try body(connection)
        } catch {
            throw .closed(closeFrame: closeFrame, closure: closure)
        }
        await flush()
    }

    // MARK: Receiving

    /// The next data message. Pings and pongs on the way are recorded, not returned.
    public func receive(timeout: Duration) async throws(ClientSessionError) -> WebSocketMessage {
        if let message = await nextMessage(until: transport.elapsed + timeout) { return message }
        if let violation { throw .protocolViolation(violation) }
        if closeFrame != nil || closure != nil { throw .closed(closeFrame: closeFrame, closure: closure) }
        throw .timedOut(after: timeout)
    }

    /// Waits `duration`; returns the first data message that arrived in it, if any (it stays queued).
    public func firstMessage(within duration: Duration) async -> WebSocketMessage? {
        await waitForMessage(until: transport.elapsed + duration)
        return messages.first
    }

    /// Waits until the connection is over (or `timeout`), reading and dropping data on the way; nil on timeout.
    public func receiveClosure(timeout: Duration) async -> ConnectionClosure? {
        let deadline = transport.elapsed + timeout
        while closure == nil, await pump(until: deadline) {}
        return closure
    }

    private func nextMessage(until deadline: Duration) async -> WebSocketMessage? {
        await waitForMessage(until: deadline)
        return messages.popFirst()
    }

    private func waitForMessage(until deadline: Duration) async {
        while messages.isEmpty {
            guard await pump(until: deadline) else { break }
        }
    }

    /// Reads once and handles what it meant; false when nothing more can come before `deadline`.
    private func pump(until deadline: Duration) async -> Bool {
        guard closure == nil else { return false }
        let limit = closeDeadline.map { min($0, deadline) } ?? deadline
        switch await transport.read(until: limit) {
        case .bytes(let bytes):
            await absorb(bytes)
        case .endOfStream, .reset:
            transportEnded = true
            // The server ended the connection: our side goes too, as a client's socket is closed once it is done.
            await transport.close()
            await handle(connection.transportClosed())
        case .timedOut:
            guard let closeDeadline, transport.elapsed >= closeDeadline else { return false }
            self.closeDeadline = nil
            await handle(connection.closeTimerExpired())
        }
        return true
    }

    private func absorb(_ bytes: [UInt8]) async {
        await handle(connection.receive(bytes))
    }

    private func handle(_ events: [ConnectionEvent]) async {
        await flush()
        for event in events {
            switch event {
            case .text(let text): messages.append(.text(text))
            case .binary(let bytes): messages.append(.binary(bytes))
            case .ping(let payload): pingsReceived.append(payload)
            case .pong(let payload): pongsReceived.append(payload)
            case .closeReceived(let payload): closeFrame = payload
            case .invalidCloseReceived: break // `failed` follows, with the violation.
            case .failed(let violation): self.violation = violation
            case .closed(let closure): self.closure = closure
            }
        }
        await obeyOrders()
    }

    /// What the connection asks of its host: the close timer, the end of the transport.
    private func obeyOrders() async {
        for order in connection.takeOrders() {
            switch order {
            case .startCloseTimer: closeDeadline = transport.elapsed + closeTimeout
            case .closeTransport: if !transportEnded { await transport.close() }
            }
        }
    }

    private func flush() async {
        guard connection.hasOutbound else { return }
        await transport.write(connection.takeOutbound())
    }
}
