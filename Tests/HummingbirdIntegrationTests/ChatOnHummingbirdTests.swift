#if Hummingbird
    import ChatExample
    import ConformanceReport
    import ConformanceSuite
    import ConformanceTesting
    import Foundation
    import Hummingbird
    import HummingbirdTesting
    import LiveRun
    import Scenario
    import Testing
    import WebSocketCore
    import WebSocketNIO
    import WebSocketServerHummingbird
    import WebSocketTesting
    import WebSocketTestingHummingbird
    import WireSim

    /// The example chat served as `chat-example` serves it with the Hummingbird trait: the page at `/` from
    /// Hummingbird's router, the rooms from wsspec's router mounted beside it, one port.
    @Suite("Hummingbird: the chat example, wsspec's routes mounted beside Hummingbird's, in-process")
    struct ChatOnHummingbirdTests {
        static func server() -> TestServer {
            TestServer(hummingbird: ChatApp.httpRouter(), webSocketRoutes: ChatApp.router(motd: "hello, tester"))
        }

        @Test func hummingbirdServesThePage() async throws {
            let page = try await Self.server().request("/")
            #expect(page.status == 200)
            #expect(page.headers.single("content-type") == "text/html; charset=utf-8")
            #expect(page.bodyText.contains("<title>wsspec chat</title>"))
        }

        @Test func theRoomsAnswerBesideThePageWithTheirGuard() async throws {
            let server = Self.server()
            // A browser names its user in the query; another client may send the header.
            let ann = try await server.connect("/chat/lobby?user=ann", subprotocols: ["chat.v1"])
            #expect(try await ann.receive() == .text("welcome to lobby"))
            let bob = try await server.connect("/chat/lobby", headers: ["X-User": "bob"], subprotocols: ["chat.v1"])
            #expect(try await bob.receive() == .text("welcome to lobby, with ann"))
            #expect(try await ann.receive() == .text("bob joined"))
            try await bob.send(text: "hi ann")
            #expect(try await ann.receive() == .text("bob: hi ann"))
            // wsspec's guard still decides: no user, 401.
            let refusal = await #expect(throws: ClientSessionError.self) { _ = try await server.connect("/chat/lobby") }
            #expect(refusal?.status == 401)
        }

        @Test func everyByteArrivingAloneChangesNothing() async throws {
            // The first request head is read as it trickles in: the sorting resumes where it stopped.
            let server = TestServer(
                link: .everyByte, hummingbird: ChatApp.httpRouter(), webSocketRoutes: ChatApp.router(motd: "hello, tester"))
            #expect(try await server.request("/").bodyText.contains("<title>wsspec chat</title>"))
            let ann = try await server.connect("/chat/lobby?user=ann", subprotocols: ["chat.v1"])
            #expect(try await ann.receive() == .text("welcome to lobby"))
        }

        @Test func aHeadTooLargeToSortIsHummingbirdsToRefuse() async throws {
            // Larger than Hummingbird's decoder takes: the sorting stops reading and Hummingbird answers, as alone.
            let server = Self.server()
            let padding = String(repeating: "a", count: 120 * 1024)
            let outcome: String
            do {
                let response = try await server.request("/", headers: ["X-Padding": padding])
                outcome = "status \(response.status)"
            } catch {
                outcome = "\(error)"
            }
            #expect(outcome == "status 400") // Hummingbird's decoder refuses a head over its 80 KiB
        }

        @Test func aHandshakeForAPathTheRouterDoesNotHaveIsHummingbirds() async throws {
            let refusal = await #expect(throws: ClientSessionError.self) { _ = try await Self.server().connect("/nowhere") }
            #expect(refusal?.status == 404)
        }

        /// The client end of a link that only notes when the server ended the connection.
        final class SilentClient: LinkEndpoint {
            let simulation: Simulation
            var endedAt: VirtualInstant?
            init(_ simulation: Simulation) { self.simulation = simulation }
            func linkDidReceive(_ bytes: [UInt8]) {}
            func linkDidReachEndOfStream() { endedAt = endedAt ?? simulation.now }
            func linkDidReset() { endedAt = endedAt ?? simulation.now }
        }

        @Test func aConnectionThatSendsNothingIsClosedAtTheHandshakeDeadline() {
            let simulation = Simulation(seed: 0)
            let link = SimulatedLink(simulation: simulation, options: .ideal)
            let client = SilentClient(simulation)
            link.attach(.a, client)
            var limits = ConnectionLimits()
            limits.handshakeTimeout = .seconds(3)
            let endpoint = HummingbirdServer(router: ChatApp.httpRouter(), webSocketRoutes: ChatApp.router(), limits: limits)
                .attach(to: link)
            simulation.run(until: VirtualInstant.zero.advanced(by: .seconds(30)))
            let ended = client.endedAt.map { VirtualInstant.zero.duration(to: $0) }
            #expect(ended != nil && ended! >= .seconds(3) && ended! < .seconds(4), "ended at \(String(describing: ended))")
            endpoint.shutDown()
            simulation.run(until: simulation.now.advanced(by: .seconds(1)))
            simulation.discardPendingEvents()
        }

        @Test func theEchoRoutePassesSectionsOneToSevenAndTen() async throws {
            let server = HummingbirdServer(router: ChatApp.httpRouter(), webSocketRoutes: ChatApp.router())
            let results = try await ConformanceCheck.run(
                against: server, path: "/echo", cases: "1.*,2.*,3.*,4.*,5.*,6.*,7.*,10.*", agent: "chat-example")
            #expect(results.run.results.count == 251)
            #expect(results.passed, "\(results.summary)")
        }
    }

    /// The same application on a port, as `swift run --traits Hummingbird chat-example PORT` serves it. A live suite:
    /// scripts/test.sh runs it with the other loopback suites ("Loopback" in the name), after the CPU-bound ones.
    @Suite("Hummingbird: the chat example on a port (Loopback)")
    struct ChatOnHummingbirdLoopbackTests {
        @Test func onePortServesThePageAndPassesTheCatalogLive() async throws {
            let app = Application(
                router: ChatApp.httpRouter(), server: .http1(webSocketRoutes: ChatApp.router()),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in
                let page = try await client.execute(uri: "/", method: .get)
                #expect(page.status == .ok)
                #expect(String(buffer: page.body).contains("<title>wsspec chat</title>"))

                let port = try #require(client.port)
                let suite = try LiveSuite(url: WebSocketURL(parsing: "ws://127.0.0.1:\(port)/echo"))
                try await suite.probe()
                let cases = Catalog.cases(CaseSelection(cases: "1.*,2.*,3.*,4.*,5.*,6.*,7.*,10.*"))
                let began = Date()
                let results = await suite.run(cases, jobs: 8)
                let run = ConformanceRun(
                    agent: "chat-example", target: "ws://127.0.0.1:\(port)/echo", startedAt: began,
                    duration: .seconds(Date().timeIntervalSince(began)), seed: 0, strict: false, results: results)
                let exit = RunExit.decide([run], expected: cases.map(\.id))
                #expect(results.count == 251)
                #expect(exit.outcome == .passed, "\(run.failures.map { "\($0.id) \($0.verdict.rawValue)" })")
            }
        }
    }
#endif
