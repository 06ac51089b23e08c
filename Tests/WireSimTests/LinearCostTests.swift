import Testing
import WireSim

/// What keeps a large transfer linear in its size: the counts here grow with the number of writes or
/// elements, never with their square. A 16 MiB message once took 112 s under simulation (a queue taken from
/// the front with `removeFirst()`, and one event per 1-512-byte segment).
@Suite("Linear cost of large transfers")
struct LinearCostTests {
    @Test("a write cut into one-byte segments costs one event, not one per byte, and still arrives byte by byte")
    func oneEventPerArrivalInstant() {
        let simulation = Simulation(seed: 3, tracing: false)
        let link = SimulatedLink(simulation: simulation, options: LinkOptions(segmentation: .everyByte, latency: .fixed(.milliseconds(1))))
        let a = Recorder(simulation), b = Recorder(simulation)
        link.attach(.a, a)
        link.attach(.b, b)
        let payload = (0..<(64 << 10)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        link.send(from: .a, payload)
        link.send(from: .a, payload)
        simulation.run()
        #expect(b.received.count == 2 * payload.count)
        #expect(b.stream == payload + payload)
        #expect(simulation.eventCount == 2, "\(simulation.eventCount) events for two writes of \(payload.count) segments each")
    }

    @Test("random latencies: events stay far fewer than segments, and the order is the one-event-per-segment order")
    func batchedDeliveryKeepsOrder() {
        let options = LinkOptions(segmentation: .random(1...64), latency: .random(.zero...(.milliseconds(2))))
        let simulation = Simulation(seed: 11, tracing: false)
        let link = SimulatedLink(simulation: simulation, options: options)
        let a = Recorder(simulation), b = Recorder(simulation)
        link.attach(.a, a)
        link.attach(.b, b)
        let payload = (0..<(256 << 10)).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        link.send(from: .a, payload)
        simulation.run()
        #expect(b.stream == payload)
        #expect(b.arrivals == b.arrivals.sorted())
        #expect(simulation.eventCount * 100 < b.received.count, "\(simulation.eventCount) events for \(b.received.count) segments")
    }

    @Test("a queue that lags behind its producer moves each element at most once")
    func queueMovesEachElementAtMostOnce() {
        var queue = FIFOQueue<Int>()
        var appended = 0, taken: [Int] = []
        for round in 0..<50 {
            for _ in 0..<(4_000 + round * 37) {
                queue.append(appended)
                appended += 1
            }
            for _ in 0..<3_000 { if let value = queue.popFirst() { taken.append(value) } }
        }
        while let value = queue.popFirst() { taken.append(value) }
        #expect(taken == Array(0..<appended))
        #expect(queue.isEmpty)
        #expect(queue.elementsMoved <= appended, "\(queue.elementsMoved) moves for \(appended) elements")
    }
}
