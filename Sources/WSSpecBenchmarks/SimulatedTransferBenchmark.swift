import ConformanceSuite
import ReferenceServer
import Scenario
import WebSocketCore
import WebSocketNIO
import WireSim

/// A 16 MiB binary message to an echo server and back over the simulated network, under each segmentation
/// a seed can choose and a few harsher ones, beside `memcpy` of the same bytes; then the 16 MiB load case
/// (9.2.6) through the whole runner, in-process and over loopback TCP.
enum SimulatedTransferBenchmark {
    static let size = 16 << 20

    struct Row {
        var label: String
        /// The seconds of one round trip: 16 MiB out, 16 MiB back.
        var seconds: Double
        var events: Int
        var megabytesPerSecond: Double { Double(2 * size) / seconds / 1e6 }
    }

    static let policies: [(String, LinkOptions)] = [
        ("ideal (seed 0)", .ideal),
        ("seeded 1-512 B", InProcessSuite.seededLink(7)),
        ("fixed 64 B", LinkOptions(segmentation: .fixed(64))),
        ("fixed 16 B", LinkOptions(segmentation: .fixed(16))),
    ]

    static func transfers(runs: Int = 3) -> [Row] {
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        return policies.map { label, options in
            var best = Row(label: label, seconds: .infinity, events: 0)
            for _ in 0..<runs {
                let (seconds, events) = roundTrip(payload, options)
                if seconds < best.seconds { best = Row(label: label, seconds: seconds, events: events) }
            }
            return best
        }
    }

    private static func roundTrip(_ payload: [UInt8], _ options: LinkOptions) -> (Double, Int) {
        let simulation = Simulation(seed: 1, tracing: false)
        let link = SimulatedLink(simulation: simulation, options: options)
        let client = SimulatedEchoBenchmark.Endpoint(Connection(role: .client, maskKeys: SeededMaskKeySource(seed: 1)),
                                                     link: link, side: .a)
        let server = SimulatedEchoBenchmark.Endpoint(Connection(role: .server), link: link, side: .b)
        var echoed = 0
        server.onBinary = { endpoint, bytes in endpoint.send(binary: bytes) }
        client.onBinary = { _, bytes in echoed = bytes.count; blackHole &+= Int(bytes[bytes.count / 2]) }
        let wall = ContinuousClock().measure {
            client.send(binary: payload)
            simulation.run()
        }
        precondition(echoed == payload.count, "the echo of \(payload.count) bytes came back with \(echoed)")
        return (wall.seconds, simulation.eventCount)
    }

    /// `memcpy` of the same 16 MiB, GB/s.
    static func memcpyGigabytesPerSecond() -> Double {
        let source = [UInt8](repeating: 7, count: size)
        var destination = [UInt8](repeating: 0, count: size)
        return measure(bytesPerRun: size) {
            destination.withUnsafeMutableBytes { to in source.withUnsafeBytes { to.copyMemory(from: $0) } }
            return Int(destination[size / 2])
        }.gigabytesPerSecond
    }

    struct CaseFigures {
        var idealSeconds: Double
        var seededSeconds: Double
        var loopbackSeconds: Double
        var sectionIdealSeconds: Double
        var sectionLoopbackSeconds: Double
    }

    /// Case 9.2.6 alone and section 9 whole, in-process (seed 0 and a seeded link for the case) and over TCP.
    static func cases(repetitions: Int = 3) async throws -> CaseFigures {
        let one = Catalog.cases(CaseSelection(cases: "9.2.6"))
        let section = Catalog.cases(CaseSelection(cases: "9.*"))
        let configuration = EchoServerConfiguration.withQuickKeepalive
        let inProcess = InProcessSuite.referenceServer(configuration)
        let server = try await SessionServer.referenceServer(configuration)
        let live = try LiveSuite(url: server.url(), parameters: RunParameters(describing: configuration))
        func best(_ body: () async -> [CaseResult]) async -> Double {
            var seconds = Double.infinity
            for _ in 0..<repetitions {
                var results: [CaseResult] = []
                let elapsed = await ContinuousClock().measure { results = await body() }
                precondition(results.allSatisfy(\.passed), "a load case did not pass: \(results.filter { !$0.passed }.map(\.id))")
                seconds = min(seconds, elapsed.seconds)
            }
            return seconds
        }
        let figures = CaseFigures(
            idealSeconds: await best { await inProcess.run(one, seed: 0) },
            seededSeconds: await best { await inProcess.run(one, seed: 7) },
            loopbackSeconds: await best { await live.run(one, jobs: 1) },
            sectionIdealSeconds: await best { await inProcess.run(section, seed: 0, jobs: 2) },
            sectionLoopbackSeconds: await best { await live.run(section, jobs: 2) })
        await server.stop()
        return figures
    }
}
