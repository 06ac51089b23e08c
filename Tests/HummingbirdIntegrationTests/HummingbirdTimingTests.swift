#if Hummingbird
    import Hummingbird
    import HummingbirdWebSocket
    import Testing
    import WebSocketTesting
    import WebSocketTestingHummingbird

    /// What follows virtual time in a Hummingbird application hosted in-process, and what does not
    /// (docs/frameworks-in-process.md). These tests hold the limits as they are, so that a change in either
    /// framework or in wsspec that lifts one shows here.
    @Suite("Hummingbird: timers in-process")
    struct HummingbirdTimingTests {
        static func server(ping period: Duration) -> TestServer {
            let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
            webSocketRouter.ws("/quiet") { inbound, _, _ in
                for try await _ in inbound {}
            }
            return TestServer(
                hummingbird: Router(), webSocketRouter: webSocketRouter,
                configuration: .init(ws: .init(autoPing: .enabled(timePeriod: period))))
        }

        @Test func swiftWebSocketsAutomaticPingsSleepOnTheWallClock() async throws {
            let server = Self.server(ping: .seconds(30))
            let client = try await server.connect("/quiet")
            let began = ContinuousClock.now
            await client.expectNothing(for: .seconds(61)) // two ping periods of virtual time
            // No ping came: swift-websocket sleeps with Task.sleep on the wall clock, which virtual time does not move.
            #expect(client.pingsReceived.isEmpty)
            #expect(server.now >= .seconds(61))
            #expect(ContinuousClock.now - began < .seconds(10))
            try await client.close()
        }
    }
#endif
