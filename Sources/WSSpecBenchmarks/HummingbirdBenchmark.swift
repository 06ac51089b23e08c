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

    /// Connect + send + receive + close against a Hummingbird application's echo route, in-process and through
    /// Hummingbird's own test client with a live server on a loopback port (`.live`, as Hummingbird's own tests
    /// do), measured two ways, each the same on both sides:
    /// - per connection: one server (a `TestServer`; one live application) and many connections to it;
    /// - per test: a fresh server each time (a `TestServer`; `app.test(.live)`, which starts and stops the
    ///   application), as each unit test makes its own.
    enum HummingbirdBenchmark {
        struct Figures {
            var perConnection: (inProcess: Double, live: Double)
            var perTest: (inProcess: Double, live: Double)
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

        static let logger = {
            var logger = Logger(label: "bench")
            logger.logLevel = .critical
            return logger
        }()

        static func inProcessRoundTrip(_ server: TestServer, _ index: Int) async throws {
            let client = try await server.connect("/echo")
            try await client.send(text: "hello \(index)")
            guard try await client.receiveText() == "hello \(index)" else { fatalError("echo lost in-process") }
            try await client.close()
        }

        static func liveRoundTrip(_ client: any TestClientProtocol, _ index: Int) async throws {
            try await client.ws("/echo", logger: logger) { inbound, outbound, _ in
                try await outbound.write(.text("hello \(index)"))
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                guard case .text(let text) = try await messages.next(), text == "hello \(index)" else {
                    fatalError("echo lost over the live server")
                }
            }
        }

        static func liveApplication() -> some ApplicationProtocol {
            let (router, webSocketRouter) = routers()
            return Application(
                router: router, server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        }

        /// The best of `repetitions` runs of `iterations` calls, per call, in seconds.
        static func best(
            _ iterations: Int, _ repetitions: Int, _ body: (Int) async throws -> Void
        ) async rethrows -> Double {
            let clock = ContinuousClock()
            var best = Duration.seconds(3600)
            for _ in 0..<repetitions {
                best = min(best, try await clock.measure { for index in 0..<iterations { try await body(index) } })
            }
            return best.seconds / Double(iterations)
        }

        static func run(iterations: Int = 1_000, repetitions: Int = 3) async throws -> Figures {
            let (router, webSocketRouter) = routers()
            let shared = TestServer(hummingbird: router, webSocketRouter: webSocketRouter)
            let inProcessConnection = try await best(iterations, repetitions) { try await inProcessRoundTrip(shared, $0) }
            let inProcessTest = try await best(iterations, repetitions) {
                try await inProcessRoundTrip(TestServer(hummingbird: router, webSocketRouter: webSocketRouter), $0)
            }
            // A tenth of the iterations live: each one costs far more.
            let liveConnection = try await liveApplication().test(.live) { client in
                try await best(iterations / 10, repetitions) { try await liveRoundTrip(client, $0) }
            }
            let liveTest = try await best(iterations / 100, repetitions) { index in
                try await liveApplication().test(.live) { client in try await liveRoundTrip(client, index) }
            }
            return Figures(perConnection: (inProcessConnection, liveConnection), perTest: (inProcessTest, liveTest))
        }
    }
#endif
