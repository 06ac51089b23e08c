import WebSocketCore
import WireSim

/// A client and an echo server (`WebSocketCore` connections) over a simulated link that delivers one byte
/// per event; the client sends each message once the previous echo is back.
enum SimulatedEchoBenchmark {
    struct Result {
        let messages: Int
        let events: Int
        let virtualSeconds: Double
        let wallSeconds: Double
    }

    /// Feeds link deliveries into a connection and writes its output back to the link.
    final class Endpoint: LinkEndpoint {
        let connection: Connection
        let link: SimulatedLink
        let side: SimulatedLink.Side
        var onMessage: (Endpoint, String) -> Void = { _, _ in }
        var onBinary: (Endpoint, [UInt8]) -> Void = { _, _ in }

        init(_ connection: Connection, link: SimulatedLink, side: SimulatedLink.Side) {
            self.connection = connection
            self.link = link
            self.side = side
            link.attach(side, self)
        }

        func send(text: String) {
            try? connection.send(text: text)
            link.send(from: side, connection.takeOutbound())
        }

        func send(binary: [UInt8]) {
            try? connection.send(binary: binary)
            link.send(from: side, connection.takeOutbound())
        }

        func linkDidReceive(_ bytes: [UInt8]) {
            for event in connection.receive(bytes) {
                switch event {
                case .text(let text): onMessage(self, text)
                case .binary(let bytes): onBinary(self, bytes)
                default: break
                }
            }
            if connection.hasOutbound { link.send(from: side, connection.takeOutbound()) }
        }

        func linkDidReachEndOfStream() {}
        func linkDidReset() {}
    }

    static func run(messages: Int = 10_000) -> Result {
        let simulation = Simulation(seed: 1)
        let link = SimulatedLink(simulation: simulation, options: .everyByte)
        let client = Endpoint(Connection(role: .client, maskKeys: SeededMaskKeySource(seed: 1)), link: link, side: .a)
        let server = Endpoint(Connection(role: .server), link: link, side: .b)
        server.onMessage = { endpoint, text in endpoint.send(text: text) }
        var received = 0
        client.onMessage = { endpoint, _ in
            received += 1
            if received < messages { endpoint.send(text: "message number \(received) of the echo run") }
        }
        let clock = ContinuousClock()
        let wall = clock.measure {
            client.send(text: "message number 0 of the echo run")
            simulation.run()
        }
        precondition(received == messages, "echo run ended after \(received) of \(messages) messages")
        return Result(
            messages: messages, events: simulation.eventCount,
            virtualSeconds: Double(simulation.now.nanoseconds) / 1e9, wallSeconds: wall.seconds)
    }
}
