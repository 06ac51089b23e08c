import Testing
import WebSocketCore
import WireSim

@Suite("Determinism, replay and sweeps")
struct DeterminismTests {
    /// A full session (handshake, messages, ping, close) over a link whose segmentation, latency and
    /// stalls all come from the seed.
    static func session(_ simulation: Simulation) {
        EchoSession(simulation: simulation, options: .choppy, script: standardScript).run()
    }

    @Test func aThousandSeedsEachReproduceTheirTraceExactly() throws {
        var segmentations = Set<[Int]>()
        let reference = WebSocketOverSimTests.applicationEvents(.ideal)
        for seed in Seeds.sweep(count: 1000) {
            let trace = try Simulation.checkDeterminism(seed: seed, Self.session)
            segmentations.insert(trace.segmentSizes(from: "client", to: "server"))
            // Whatever the cuts, the application saw the same thing.
            #expect(ApplicationEvents(trace) == reference, "seed \(seed)")
        }
        // Different seeds cut the stream differently (all thousand are distinct, in fact).
        #expect(segmentations.count == (Seeds.fromEnvironment == nil ? 1000 : 1))
    }

    @Test func asyncHandlerCodeIsDeterministic() throws {
        // A server handler written with async/await: it reads messages from a stream, waits on the
        // virtual clock between replies, and answers from several child tasks.
        func scenario(_ simulation: Simulation) throws {
            let link = SimulatedLink(simulation: simulation, options: .choppy)
            let client = SimulatedWebSocketPeer(name: "client", role: .client, link: link, side: .a)
            let server = SimulatedWebSocketPeer(name: "server", role: .server, link: link, side: .b)
            let (messages, inbox) = AsyncStream<String>.makeStream()
            server.onEvent = { _, event in
                if case .text(let text) = event { inbox.yield(text) }
                if case .closed = event { inbox.finish() }
            }
            let outbox = AsyncStream<String>.makeStream()
            client.onOpen = { peer in
                for n in 1...5 { peer.send(text: "job \(n)") }
            }
            var replies = 0
            client.onEvent = { peer, event in
                if case .text = event {
                    replies += 1
                    if replies == 5 { peer.close(.normalClosure) }
                }
            }
            let clock = simulation.clock
            simulation.spawn {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for await message in messages {
                        group.addTask {
                            let delay = Int(message.split(separator: " ")[1])! % 3
                            try await clock.sleep(for: .milliseconds(10 * delay))
                            outbox.continuation.yield("done: \(message)")
                        }
                    }
                    try await group.waitForAll()
                    outbox.continuation.finish()
                }
            }
            simulation.spawn {
                for await reply in outbox.stream { server.send(text: reply) }
            }
            client.start()
            simulation.run(until: VirtualInstant.zero.advanced(by: .seconds(60)))
            #expect(simulation.trace.events(of: "client").filter { $0.contains("done") }.count == 5)
        }
        for seed in Seeds.sweep(count: 50) {
            try Simulation.checkDeterminism(seed: seed, scenario)
        }
    }

    @Test func divergenceIsReportedLoudly() {
        // A scenario that reads state from outside the simulation: the second run differs.
        final class Counter: @unchecked Sendable { var value = 0 }
        let outside = Counter()
        #expect {
            try Simulation.checkDeterminism(seed: 1) { simulation in
                outside.value += 1
                simulation.record("probe", "outside value \(outside.value)")
            }
        } throws: { error in
            let text = String(describing: error)
            return text.contains("NOT DETERMINISTIC") && text.contains("seed 1") && text.contains("line 1")
                && text.contains("outside value 1") && text.contains("outside value 2")
        }
    }

    @Test func aSweepNamesTheFirstFailingSeedAndHowToReplayIt() throws {
        struct TooManySegments: Error {}
        // Fails for the seeds whose link cuts the client's opening request into more than 12 pieces.
        let result = Simulation.sweep(seeds: 0..<200) { simulation in
            Self.session(simulation)
            if simulation.trace.segmentSizes(from: "client", to: "server").count > 12 { throw TooManySegments() }
        }
        let failure = try #require(result.firstFailure)
        #expect(result.seedsRun == Int(failure.seed) + 1)
        #expect(failure.description.contains("WSSPEC_SEED=\(failure.seed)"))
        // Replaying that one seed fails the same way, with the same trace.
        #expect(throws: SeededFailure.self) {
            try Simulation.run(seed: failure.seed) { simulation in
                Self.session(simulation)
                #expect(simulation.trace == failure.trace)
                if simulation.trace.segmentSizes(from: "client", to: "server").count > 12 { throw TooManySegments() }
            }
        }
    }
}
