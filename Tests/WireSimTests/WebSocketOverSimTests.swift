import Testing
import WebSocketCore
import WireSim

@Suite("WebSocketCore over the simulated network")
struct WebSocketOverSimTests {
    static let policies: [(String, LinkOptions)] = [
        ("ideal", .ideal),
        ("every byte", .everyByte),
        ("choppy", .choppy),
        ("3-byte segments, 1 KB/s", LinkOptions(segmentation: .fixed(3), latency: .fixed(.milliseconds(3)), bytesPerSecond: 1000)),
        (
            "random sizes and stalls",
            LinkOptions(
                segmentation: .random(1...7), latency: .random(.zero...(.milliseconds(5))),
                stalls: .init(probability: 0.2, duration: .milliseconds(1)...(.milliseconds(300))))
        )
    ]

    /// What each application saw, without times. Each endpoint's sequence is the same under every link
    /// policy; only the interleaving of the two endpoints depends on timing, so they are compared apart.
    static func applicationEvents(_ options: LinkOptions, seed: UInt64 = 11) -> ApplicationEvents {
        let simulation = Simulation(seed: seed)
        EchoSession(simulation: simulation, options: options, script: standardScript).run()
        return ApplicationEvents(simulation.trace)
    }

    @Test func theStandardSessionDoesWhatItShould() {
        let events = Self.applicationEvents(.ideal)
        #expect(
            events.server == [
                "server open",
                "server text \"hello\"", "server binary 200 bytes", "server text \"a fragmented message, κόσμε\"",
                "server ping [112, 114, 111, 98, 101]",
                "server close received 1000 (normal closure) \"done\"", "server close transport",
                "server closed clean close, code 1000 (normal closure) \"done\""
            ])
        #expect(
            events.client == [
                "client open",
                "client text \"hello\"", "client binary 200 bytes", "client text \"a fragmented message, κόσμε\"",
                "client start close timer", // the close goes out right after the third reply
                "client pong [112, 114, 111, 98, 101]",
                "client close received 1000 (normal closure)", "client start close timer",
                "client closed clean close, code 1000 (normal closure)"
            ])
    }

    @Test("application events are identical under every link policy", arguments: policies.map(\.0))
    func sameEventsUnderEveryPolicy(policy: String) {
        let options = Self.policies.first { $0.0 == policy }!.1
        #expect(Self.applicationEvents(options) == Self.applicationEvents(.ideal))
    }

    @Test func serverStartedClose() {
        let simulation = Simulation(seed: 5)
        let session = EchoSession(simulation: simulation, options: .choppy) { client in client.send(text: "bye?") }
        session.server.onEvent = { peer, event in
            if case .text = event { peer.close(CloseCode(4000), "server says bye") }
        }
        session.run()
        let events = simulation.trace.events()
        #expect(events.contains("client close received 4000 \"server says bye\""))
        #expect(events.contains("server closed clean close, code 4000"))
        #expect(simulation.trace.events(of: "client").last == "client closed clean close, code 4000 \"server says bye\"")
    }

    @Test func aResetIsAnAbnormalClosureThatNeverAppearsOnTheWire() {
        let simulation = Simulation(seed: 9)
        let session = EchoSession(simulation: simulation, options: .everyByte) { client in
            client.send(text: "about to be cut")
        }
        session.server.onEvent = { peer, event in
            if case .text = event { peer.link.reset(from: .b) }
        }
        session.run()
        let events = simulation.trace.events(of: "client")
        #expect(events.last == "client closed unclean close, code 1006 (abnormal closure)")
        // 1006 is a local verdict: no close frame carries it. The server's frames reached the client
        // (the echo was under way) and none of them is a close.
        let frames = framesAfterHandshake(simulation.trace.stream(from: "server", to: "client"))
        #expect(!frames.contains { $0.opcode == .close })
        #expect(!simulation.trace.stream(from: "client", to: "server").isEmpty)
    }

    @Test func connectionLossMidMessage() {
        let simulation = Simulation(seed: 2)
        let session = EchoSession(simulation: simulation, options: LinkOptions(segmentation: .fixed(5), lossAfterBytes: 250)) { client in
            client.send(binary: Array(repeating: 7, count: 1000))
        }
        session.run()
        #expect(simulation.trace.events().contains("server closed unclean close, code 1006 (abnormal closure)"))
        #expect(simulation.trace.events().contains("client closed unclean close, code 1006 (abnormal closure)"))
    }

    @Test func anUnansweredCloseEndsOnTheCloseTimer() {
        let simulation = Simulation(seed: 4)
        let session = EchoSession(simulation: simulation, options: .ideal) { client in
            client.link.stall(from: .b) // the server's answers never get through
            client.close(.goingAway)
        }
        session.client.closeTimeout = .seconds(5)
        session.run()
        let events = simulation.trace.events(of: "client")
        #expect(events.suffix(2) == ["client close transport", "client closed unclean close, code 1006 (abnormal closure)"])
        let closedAt = simulation.trace.entries.last { $0.text.contains("client closed") }!.time
        #expect(closedAt.nanoseconds == 5_000_000_000)
    }
}

/// The application-level events of both endpoints of a session.
struct ApplicationEvents: Equatable {
    let client: [String]
    let server: [String]
    init(_ trace: Trace) {
        client = trace.events(of: "client")
        server = trace.events(of: "server")
    }
}

/// Frames in a server→client byte stream, after the HTTP response head.
func framesAfterHandshake(_ wire: [UInt8]) -> [Frame] {
    var head = HTTPHeadParser()
    guard let (_, rest) = (try? head.append(wire)) ?? nil else { return [] }
    var parser = FrameParser(.init(senderRole: .server, mode: .diagnostic))
    parser.append(rest)
    var frames: [Frame] = []
    while let parsed = try? parser.nextFrame() { frames.append(parsed.frame) }
    return frames
}
