import Testing
import WireSim

/// Records what a link delivers to one endpoint.
final class Recorder: LinkEndpoint {
    let simulation: Simulation
    var received: [[UInt8]] = []
    var arrivals: [VirtualInstant] = []
    var endOfStreamAt: VirtualInstant?
    var resetAt: VirtualInstant?
    init(_ simulation: Simulation) { self.simulation = simulation }
    func linkDidReceive(_ bytes: [UInt8]) {
        received.append(bytes)
        arrivals.append(simulation.now)
    }
    func linkDidReachEndOfStream() { endOfStreamAt = simulation.now }
    func linkDidReset() { resetAt = simulation.now }
    var stream: [UInt8] { received.flatMap { $0 } }
}

@Suite("Simulated links")
struct LinkTests {
    func pair(_ options: LinkOptions, seed: UInt64 = 7) -> (Simulation, SimulatedLink, Recorder, Recorder) {
        let simulation = Simulation(seed: seed)
        let link = SimulatedLink(simulation: simulation, options: options)
        let a = Recorder(simulation), b = Recorder(simulation)
        link.attach(.a, a)
        link.attach(.b, b)
        return (simulation, link, a, b)
    }

    let payload: [UInt8] = Array(0..<100)

    @Test func segmentationPolicies() {
        for (options, expected) in [
            (LinkOptions.ideal, [100]), (LinkOptions(segmentation: .fixed(30)), [30, 30, 30, 10]),
            (LinkOptions(segmentation: .everyByte), Array(repeating: 1, count: 100))
        ] {
            let (simulation, link, _, b) = pair(options)
            link.send(from: .a, payload)
            simulation.run()
            #expect(b.received.map(\.count) == expected)
            #expect(b.stream == payload)
        }
        let (simulation, link, _, b) = pair(LinkOptions(segmentation: .random(5...9)))
        link.send(from: .a, payload)
        simulation.run()
        #expect(b.stream == payload)
        #expect(b.received.dropLast().allSatisfy { (5...9).contains($0.count) })
    }

    @Test func randomLatencyNeverReordersBytes() {
        let (simulation, link, _, b) = pair(LinkOptions(segmentation: .everyByte, latency: .random(.zero...(.milliseconds(50)))))
        // One byte written every 10 ms, each delayed by 0-50 ms: without the in-order rule many would overtake.
        for (index, byte) in payload.enumerated() {
            simulation.schedule(after: .milliseconds(10 * index)) { link.send(from: .a, [byte]) }
        }
        simulation.run()
        #expect(b.stream == payload)
        #expect(b.arrivals == b.arrivals.sorted())
        #expect(Set(b.arrivals).count > 50) // the delays really vary
    }

    @Test func bandwidthCapSpacesSegments() {
        // 1000 bytes/s: each 10-byte segment takes 10 ms to send, plus 5 ms of latency.
        let (simulation, link, _, b) = pair(
            LinkOptions(
                segmentation: .fixed(10), latency: .fixed(.milliseconds(5)),
                bytesPerSecond: 1000))
        link.send(from: .a, Array(payload[..<30]))
        simulation.run()
        #expect(b.arrivals.map(\.nanoseconds) == [15_000_000, 25_000_000, 35_000_000])
    }

    @Test func stallHoldsBytesUntilReleased() {
        let (simulation, link, _, b) = pair(LinkOptions(latency: .fixed(.milliseconds(1))))
        link.stall(from: .a)
        link.send(from: .a, [1, 2, 3])
        link.shutdownWrite(from: .a)
        simulation.advance(by: .seconds(10))
        #expect(b.received.isEmpty)
        #expect(b.endOfStreamAt == nil)
        link.release(from: .a)
        simulation.run()
        #expect(b.stream == [1, 2, 3])
        #expect(b.arrivals == [VirtualInstant(nanoseconds: 10_001_000_000)])
        #expect(b.endOfStreamAt == VirtualInstant(nanoseconds: 10_001_000_000))
    }

    @Test func halfCloseDeliversDataThenEndOfStreamAndTheOtherWayStaysOpen() {
        let (simulation, link, a, b) = pair(LinkOptions(segmentation: .everyByte, latency: .fixed(.milliseconds(2))))
        link.send(from: .a, [1, 2, 3])
        link.shutdownWrite(from: .a)
        link.send(from: .a, [4]) // after the FIN: dropped, as by a socket
        link.send(from: .b, [9, 9])
        simulation.run()
        #expect(b.stream == [1, 2, 3])
        #expect(b.endOfStreamAt != nil && b.endOfStreamAt! >= b.arrivals.last!)
        #expect(a.stream == [9, 9])
        #expect(a.endOfStreamAt == nil)
    }

    @Test func resetDropsWhatIsInFlightAndTellsThePeer() {
        let (simulation, link, a, b) = pair(LinkOptions(latency: .fixed(.milliseconds(10))))
        link.send(from: .a, [1, 2, 3])
        simulation.advance(by: .milliseconds(5))
        link.reset(from: .a)
        simulation.run()
        #expect(b.received.isEmpty)
        #expect(b.resetAt == VirtualInstant(nanoseconds: 15_000_000))
        #expect(a.resetAt == nil) // the side that reset knows already
        #expect(simulation.trace.text.contains("RESET by client"))
    }

    @Test func connectionLossAfterNBytes() {
        let (simulation, link, a, b) = pair(LinkOptions(segmentation: .fixed(8), lossAfterBytes: 20))
        link.send(from: .a, payload)
        simulation.run()
        #expect(b.stream == Array(payload[..<20]))
        #expect(a.resetAt != nil && b.resetAt != nil)
        link.send(from: .b, [1])
        simulation.run()
        #expect(a.received.isEmpty)
    }

    @Test func randomStallsComeFromTheSeed() {
        let options = LinkOptions(segmentation: .everyByte, stalls: .init(probability: 0.1, duration: .seconds(1)...(.seconds(2))))
        func arrivals(seed: UInt64) -> [VirtualInstant] {
            let (simulation, link, _, b) = pair(options, seed: seed)
            link.send(from: .a, payload)
            simulation.run()
            #expect(b.stream == payload)
            return b.arrivals
        }
        #expect(arrivals(seed: 3) == arrivals(seed: 3))
        #expect(arrivals(seed: 3) != arrivals(seed: 4))
        #expect(arrivals(seed: 3).last! > VirtualInstant(nanoseconds: 1_000_000_000))
    }
}
