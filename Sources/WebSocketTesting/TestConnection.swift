public import Testing
public import WebSocketRoutes

/// The client end of one in-process connection to a `TestServer`. Each call runs the simulation until it
/// has its answer (or its virtual-time limit passes); a call that does not get what it expects records an
/// issue at the test's own line and throws, as `#require` does.
public final class TestConnection: Sendable {
    public let server: TestServer
    private let client: DrivenClient

    init(server: TestServer, client: DrivenClient) {
        self.server = server
        self.client = client
    }

    /// The subprotocol the server chose, if any.
    public var subprotocol: String? { client.read { $0.negotiated.subprotocol } }
    /// The permessage-deflate agreement, when the server accepted an offer passed to `connect(extensions:)`.
    public var permessageDeflate: PerMessageDeflateAgreement? { client.read { $0.negotiated.permessageDeflate } }

    // MARK: Sending

    public func send(text: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await run("send a text message", sourceLocation) { client in try await client.send(text: text) }
    }

    public func send(binary: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await run("send a binary message", sourceLocation) { client in try await client.send(binary: binary) }
    }

    /// Sends any frame as given: fragments, control frames, reserved opcodes or bits, unmasked (set
    /// `maskKey` to nil and the client still masks it; send raw bytes for an unmasked frame).
    public func send(frame: Frame, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await run("send a frame", sourceLocation) { client in try await client.send(frame: frame) }
    }

    /// Writes bytes as they are, bypassing the protocol.
    public func send(raw bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await run("send raw bytes", sourceLocation) { client in await client.send(raw: bytes) }
    }

    public func ping(_ payload: [UInt8] = [], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await run("send a ping", sourceLocation) { client in try await client.ping(payload) }
    }

    // MARK: Receiving

    /// The next data message from the server, waiting up to `timeout` of virtual time. Records an issue
    /// and throws when the connection closes or breaks first, or nothing comes.
    public func receive(timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation) async throws -> WebSocketMessage {
        try await run("receive a message", timeout: timeout, sourceLocation) { client in try await client.receive(timeout: timeout) }
    }

    /// The next message, which must be a text message: its text.
    public func receiveText(timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let message = try await receive(timeout: timeout, sourceLocation: sourceLocation)
        guard let text = message.text else { try Self.fail("expected a text message, received \(message)", sourceLocation) }
        return text
    }

    /// The next message, which must be a binary message: its bytes.
    public func receiveBinary(timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation) async throws -> [UInt8] {
        let message = try await receive(timeout: timeout, sourceLocation: sourceLocation)
        guard let bytes = message.binary else { try Self.fail("expected a binary message, received \(message)", sourceLocation) }
        return bytes
    }

    /// Lets `duration` of virtual time pass and records an issue if a message or the end of the
    /// connection came in it.
    public func expectNothing(for duration: Duration, sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            let wasOpen = client.read { $0.closure == nil && $0.closeFrame == nil }
            let message = try await server.drive(timeout: duration) { [client] in
                { @Sendable in await client.session.firstMessage(within: duration) }
            }
            let (closeFrame, closure) = client.read { ($0.closeFrame, $0.closure) }
            if let message {
                Issue.record("expected nothing for \(duration), received \(message)", sourceLocation: sourceLocation)
            } else if wasOpen, closure != nil || closeFrame != nil {
                Issue.record(
                    "expected nothing for \(duration), the connection closed: \(ClientSessionError.closed(closeFrame: closeFrame, closure: closure))",
                    sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("expected nothing for \(duration): \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Starts the closing handshake and waits for it to finish; returns how the connection ended.
    @discardableResult
    public func close(
        code: CloseCode = .normalClosure, reason: String = "", timeout: Duration = .seconds(10),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ConnectionClosure {
        try await run("close the connection", timeout: timeout, sourceLocation) { client in
            try await client.close(code: code, reason: reason)
            guard let closure = await client.receiveClosure(timeout: timeout) else { throw ClientSessionError.timedOut(after: timeout) }
            return closure
        }
    }

    /// Drops the connection at once (a TCP reset), without a closing handshake.
    public func abort() async {
        _ = try? await server.drive(timeout: .seconds(1)) { [client] in { @Sendable in await client.session.abort() } }
    }

    /// Waits (up to `timeout`) for the connection to end, dropping any data on the way, and returns the
    /// server's close frame: nil when the connection ended without one.
    public func closeFrame(timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation) async throws -> ClosePayload? {
        try await run("wait for the connection to close", timeout: timeout, sourceLocation) { client in
            guard await client.receiveClosure(timeout: timeout) != nil else { throw ClientSessionError.timedOut(after: timeout) }
            return client.closeFrame
        }
    }

    /// How the connection ended, once it did.
    public var closure: ConnectionClosure? { client.read { $0.closure } }
    /// The server's close frame, once it came.
    public var receivedCloseFrame: ClosePayload? { client.read { $0.closeFrame } }
    /// Pings from the server so far.
    public var pingsReceived: [[UInt8]] { client.read { $0.pingsReceived } }
    public var pongsReceived: [[UInt8]] { client.read { $0.pongsReceived } }

    /// Lets `duration` of virtual time pass (for every connection of the server).
    public func advanceTime(by duration: Duration) async { await server.advanceTime(by: duration) }

    /// The simulation's trace: every byte and event, with virtual times.
    public var trace: String { server.trace }

    // MARK: Running

    private func run<T: Sendable>(
        _ what: String, timeout: Duration = .seconds(10), _ location: SourceLocation,
        _ operation: @escaping @Sendable (ClientSession) async throws -> T
    ) async throws -> T {
        do {
            return try await server.drive(timeout: timeout) { [client] in { @Sendable in try await operation(client.session) } }
        } catch {
            try Self.fail("could not \(what): \(error)", location)
        }
    }

    /// Records one issue at the test's line whose first line is `message`, and stops the test as a failed
    /// `#require` does. The macro would print its own source text (`Expectation failed: condition`) before the
    /// message; this is what it expands to, with the message as the expression, so a reader sees the cause
    /// first and only once. A failed `#require`'s error is the one error Swift Testing does not report again.
    static func fail(_ message: String, _ location: SourceLocation) throws -> Never {
        try Testing.__checkValue(
            false, expression: .__fromSyntaxNode(message), comments: [], isRequired: true,
            sourceLocation: location
        ).get()
        preconditionFailure("a failed check returns its error")
    }
}
