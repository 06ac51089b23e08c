import ConformanceSuite
import LiveRun
import ReferenceServer
import Scenario
import WebSocketCore
import WebSocketNIO
import WebSocketServer
import WireSim

/// A 16 MiB binary message each way over the simulated network, under each segmentation
/// a seed can choose and a few harsher ones, beside `memcpy` of the same bytes; then the 16 MiB load case
/// (9.2.6) through the whole runner, in-process and over loopback TCP.
enum SimulatedTransferBenchmark {
    static let size = 16 << 20

    struct Row {
        var label: String
        /// The best seconds for 16 MiB from the client to the server, and from the server to the client: from
        /// the sender's `send` to the whole message at the receiver.
        var clientToServer: Double
        var serverToClient: Double
        var events: Int
        func megabytesPerSecond(_ seconds: Double) -> Double { Double(size) / seconds / 1e6 }
        var slowerMegabytesPerSecond: Double { megabytesPerSecond(max(clientToServer, serverToClient)) }
    }

    static let policies: [(String, LinkOptions)] = [
        ("ideal (seed 0)", .ideal),
        ("seeded 1-512 B", InProcessSuite.seededLink(7)),
        ("fixed 64 B", LinkOptions(segmentation: .fixed(64))),
        ("fixed 16 B", LinkOptions(segmentation: .fixed(16)))
    ]

    static func transfers(runs: Int = 5) -> [Row] {
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        return policies.map { label, options in
            var row = Row(label: label, clientToServer: .infinity, serverToClient: .infinity, events: 0)
            for _ in 0..<runs {
                let (up, events) = transfer(payload, options, fromClient: true)
                let (down, _) = transfer(payload, options, fromClient: false)
                row.clientToServer = min(row.clientToServer, up)
                row.serverToClient = min(row.serverToClient, down)
                row.events = events
            }
            return row
        }
    }

    /// One message one way: the client's masked frame through the server's parser, or the server's unmasked
    /// frame through the client's.
    private static func transfer(_ payload: [UInt8], _ options: LinkOptions, fromClient: Bool) -> (Double, Int) {
        let simulation = Simulation(seed: 1, tracing: false)
        let link = SimulatedLink(simulation: simulation, options: options)
        let client = SimulatedEchoBenchmark.Endpoint(
            Connection(role: .client, maskKeys: SeededMaskKeySource(seed: 1)),
            link: link, side: .a)
        let server = SimulatedEchoBenchmark.Endpoint(Connection(role: .server), link: link, side: .b)
        var received = 0
        let receiver = fromClient ? server : client
        receiver.onBinary = { _, bytes in
            received = bytes.count
            blackHole &+= Int(bytes[bytes.count / 2])
        }
        let wall = ContinuousClock().measure {
            (fromClient ? client : server).send(binary: payload)
            simulation.run()
        }
        precondition(received == payload.count, "\(payload.count) bytes sent, \(received) received")
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
