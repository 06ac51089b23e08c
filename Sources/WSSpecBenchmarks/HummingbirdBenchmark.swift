#if Hummingbird
    import Hummingbird
    import HummingbirdTesting
    import HummingbirdWSTesting
    import HummingbirdWebSocket
    import Logging
    // TestConnection's calls default their source location with a Testing macro.
    import Testing
    import WebSocketTesting
    import WebSocketTestingHummingbird

    /// One unit test's worth of work against a Hummingbird application's echo route, connect + send + receive +
    /// close: in-process (a fresh `TestServer` each time, as a test would make) and through Hummingbird's own test
    /// client, which needs a live server on a loopback port (`.live`), as Hummingbird's own tests do.
    enum HummingbirdBenchmark {
        struct Figures {
            var inProcessSeconds: Double
            var liveSeconds: Double
        }

        static func routers() -> (Router<BasicRequestContext>, Router<BasicWebSocketRequestContext>) {
            let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
            webSocketRouter.ws("/echo") { inbound, outbound, _ in
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { try await outbound.write(.text(text)) }
                }
            }
            return (Router(), webSocketRouter)
        }

        static func run(iterations: Int = 1_000, repetitions: Int = 3) async throws -> Figures {
            let clock = ContinuousClock()
            let (router, webSocketRouter) = routers()
            var inProcess = Duration.seconds(3600)
            for _ in 0..<repetitions {
                inProcess = min(
                    inProcess,
                    try await clock.measure {
                        for index in 0..<iterations {
                            let server = TestServer(hummingbird: router, webSocketRouter: webSocketRouter)
                            let client = try await server.connect("/echo")
                            try await client.send(text: "hello \(index)")
                            guard try await client.receiveText() == "hello \(index)" else { fatalError("echo lost in-process") }
                            try await client.close()
                        }
                    })
            }
            let logger = {
                var logger = Logger(label: "bench")
                logger.logLevel = .critical
                return logger
            }()
            let app = Application(
                router: router, server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
            let live = try await app.test(.live) { client in
                var live = Duration.seconds(3600)
                for _ in 0..<repetitions {
                    live = min(
                        live,
                        try await clock.measure {
                            // A tenth of the iterations: each one costs far more.
                            for index in 0..<iterations / 10 {
                                try await client.ws("/echo", logger: logger) { inbound, outbound, _ in
                                    try await outbound.write(.text("hello \(index)"))
                                    var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                                    guard case .text(let text) = try await messages.next(), text == "hello \(index)" else {
                                        fatalError("echo lost over the live server")
                                    }
                                }
                            }
                        } * 10)
                }
                return live
            }
            return Figures(inProcessSeconds: inProcess.seconds / Double(iterations), liveSeconds: live.seconds / Double(iterations))
        }
    }
#endif
