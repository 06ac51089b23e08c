// TestConnection's calls default their source location with a Testing macro.
import Testing
import WebSocketCore
import WebSocketNIO
import WebSocketServer
import WebSocketTesting

/// One unit test's worth of work, connect + send + receive + close, against the same echo handler: in
/// process (a fresh `TestServer` each time, as a test would make) and over loopback TCP on the NIO server.
enum HandlerBenchmark {
    struct Figures {
        var iterations: Int
        var inProcessSeconds: Double
        var loopbackSeconds: Double
    }

    static func router() -> WebSocketRouter {
        var router = WebSocketRouter()
        router.ws("/echo") { message, _ in message }
        return router
    }

    static func run(iterations: Int = 2_000, repetitions: Int = 3) async throws -> Figures {
        let clock = ContinuousClock()
        let echo = router()
        var inProcess = Duration.seconds(3600)
        for _ in 0..<repetitions {
            inProcess = min(
                inProcess,
                try await clock.measure {
                    for index in 0..<iterations {
                        let server = TestServer(router: echo)
                        let client = try await server.connect("/echo")
                        try await client.send(text: "hello \(index)")
                        guard try await client.receive() == .text("hello \(index)") else { fatalError("echo lost in-process") }
                        try await client.close()
                    }
                })
        }
        let server = try await SessionServer.start(router: echo)
        var loopback = Duration.seconds(3600)
        for _ in 0..<repetitions {
            loopback = min(
                loopback,
                try await clock.measure {
                    // A tenth of the iterations: each one costs far more.
                    for index in 0..<iterations / 10 {
                        let transport = try await NIOTransport.connect(to: server.url(), tls: nil, timeout: .seconds(5))
                        let request = ClientHandshakeRequest(target: "/echo", host: "127.0.0.1:\(server.port)", nonce: Array(0..<16))
                        let client = try await ClientSession.connect(over: transport, request: request, maskKeys: SeededMaskKeySource(seed: 1))
                        try await client.send(text: "hello \(index)")
                        guard try await client.receive(timeout: .seconds(5)) == .text("hello \(index)") else { fatalError("echo lost over TCP") }
                        try await client.close()
                        guard await client.receiveClosure(timeout: .seconds(5)) != nil else { fatalError("no close over TCP") }
                        await transport.finish()
                    }
                } * 10)
        }
        await server.stop()
        return Figures(
            iterations: iterations, inProcessSeconds: inProcess.seconds / Double(iterations),
            loopbackSeconds: loopback.seconds / Double(iterations))
    }
}
