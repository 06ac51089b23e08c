public import WebSocketCore

/// The reference echo server, sans-IO: it answers the opening handshake, echoes every text and binary
/// message, answers pings, pings on its own when configured, and closes on a pong timeout. It is the
/// testee of the in-process suite and what `wsspec serve` will run over TCP.
public final class EchoServer: ServerSession {
    public static let closeTimer = ServerSessionShell.closeTimer

    public let configuration: EchoServerConfiguration
    private var shell: ServerSessionShell
    private var messageMemory: MessageMemoryBudget?

    public init(configuration: EchoServerConfiguration = EchoServerConfiguration()) {
        self.configuration = configuration
        shell = ServerSessionShell(maxHeadSize: configuration.maxHeadSize, closeTimeout: configuration.closeTimeout)
    }

    public func attach(_ host: any ServerSessionHost) {
        messageMemory = host.messageMemory
    }

    public func receive(_ bytes: [UInt8]) -> [ServerAction] {
        var actions: [ServerAction] = []
        let handshake = ServerHandshake(subprotocols: configuration.subprotocols, permessageDeflate: configuration.permessageDeflate)
        let opening = shell.receive(
            bytes, configuration: configuration.connection.sharing(messageMemory), into: &actions,
            decide: handshake.respond(to:))
        if case .upgraded = opening {
            shell.start(configuration.pingInterval.map { Keepalive(interval: $0, timeout: configuration.pongTimeout) }, into: &actions)
        }
        // Each event is answered in turn, so that an echo goes out before the close frame of a protocol error that
        // followed the message in the same read.
        while let event = shell.nextEvent(into: &actions) { echo(event, into: &actions) }
        return actions
    }

    public func timerFired(_ timer: ServerTimer) -> [ServerAction] {
        var actions: [ServerAction] = []
        for event in shell.timerFired(timer, into: &actions) { echo(event, into: &actions) }
        return actions
    }

    public func transportEnded() -> [ServerAction] {
        var actions: [ServerAction] = []
        for event in shell.transportEnded(into: &actions) { echo(event, into: &actions) }
        return actions
    }

    /// Echoes a message. One the connection refuses (it is closing) is dropped: an echo after the close has no one
    /// to go to.
    private func echo(_ event: ConnectionEvent, into actions: inout [ServerAction]) {
        switch event {
        case .text(let text):
            _ = shell.perform(into: &actions) { connection in try? connection.send(text: text) }
        case .binary(let bytes):
            _ = shell.perform(into: &actions) { connection in try? connection.send(binary: bytes) }
        default:
            break
        }
    }
}
