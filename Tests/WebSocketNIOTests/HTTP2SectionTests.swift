import HTTP2Section
import ReferenceServer
import Scenario
import Testing
import WebSocketNIO
import WebSocketServer

@testable import WSSpecCommand

extension LiveTests {
    /// Section 14 (WebSocket over HTTP/2): OK against the reference server, in-process and live, and every case fails
    /// against at least one defective server of ours (`HTTP2Defect`).
    @Suite("Section 14: WebSocket over HTTP/2, against the reference server and planted defects")
    struct HTTP2SectionTests {
        static let configuration = LoopbackConformanceTests.configuration
        static let runner = HTTP2SectionRunner(parameters: LoopbackConformanceTests.parameters, scheme: "http")

        static func server(_ defect: HTTP2Defect? = nil) -> InProcessSessionServer {
            let configuration = configuration
            var server = InProcessSessionServer { EchoServer(configuration: configuration) }
            if let defect { server.plant = defect.plant }
            return server
        }

        /// At least 20 cases, each with a requirement level and an RFC 8441, 9113, 6455 or 7692 section.
        @Test func theSectionIsData() {
            #expect(HTTP2Section.cases.count >= 20)
            #expect(Set(HTTP2Section.cases.map(\.id)).count == HTTP2Section.cases.count)
            for scenario in HTTP2Section.cases {
                #expect(scenario.id.section == 14)
                #expect(!scenario.rfcSections.isEmpty && scenario.rfcSections.allSatisfy { $0.hasPrefix("RFC ") }, "\(scenario.id)")
            }
        }

        /// Every case is OK against the reference server on the simulated network, the same under the same seed, and
        /// unchanged on a seeded link that splits and delays.
        @Test func referenceServerPassesInProcess() async {
            let first = await Self.runner.run(HTTP2Section.cases, inProcess: Self.server(), seed: 0, jobs: 2)
            #expect(first.count == HTTP2Section.cases.count)
            for result in first { #expect(result.verdict == .ok, "\(result.summary)") }
            let again = await Self.runner.run(HTTP2Section.cases, inProcess: Self.server(), seed: 0, jobs: 1)
            #expect(first == again)
            for seed: UInt64 in [3, 11] {
                let seeded = await Self.runner.run(HTTP2Section.cases, inProcess: Self.server(), seed: seed, jobs: 2)
                for result in seeded { #expect(result.verdict == .ok, "seed \(seed): \(result.summary)") }
            }
        }

        /// Each planted defect fails the cases written for it, and together they fail every case.
        @Test func everyCaseFailsAgainstAPlantedDefect() async {
            var failedSomewhere: Set<CaseID> = []
            for defect in HTTP2Defect.allCases {
                let results = await Self.runner.run(HTTP2Section.cases, inProcess: Self.server(defect), seed: 0, jobs: 2)
                let failing = Set(results.filter { $0.fails(strict: true) }.map(\.id))
                #expect(defect.fails.isSubset(of: failing), "\(defect): \(results.filter { defect.fails.contains($0.id) }.map(\.summary))")
                failedSomewhere.formUnion(failing)
            }
            #expect(failedSomewhere == Set(HTTP2Section.cases.map(\.id)))
        }

        /// The probe's frame reader is linear in what arrives: 100 000 one-octet DATA frames, in 7-octet pieces that
        /// split every frame header, move fewer octets than arrived, and every frame comes out whole.
        @Test func frameReaderWorkIsLinear() throws {
            let frame = HTTP2RawFrame(.data, stream: 1, payload: [0x2A]).bytes
            let all = Array((0..<100_000).map { _ in frame }.joined())
            var reader = HTTP2FrameReader(maxFrameSize: 1 << 14)
            var frames = 0
            for start in stride(from: 0, to: all.count, by: 7) {
                reader.append(Array(all[start..<min(start + 7, all.count)]))
                while let frame = try reader.next() {
                    #expect(frame.payload == [0x2A] && frame.stream == 1)
                    frames += 1
                }
            }
            #expect(frames == 100_000)
            #expect(reader.movedBytes <= all.count, "\(reader.movedBytes) octets moved for \(all.count) received")
        }

        /// A frame longer than the probe's SETTINGS allow is an error at its header, before any of its payload is kept.
        @Test func oversizedFrameIsRefusedAtItsHeader() {
            var reader = HTTP2FrameReader(maxFrameSize: 1 << 14)
            reader.append([0xFF, 0xFF, 0xFF, 0x0, 0x0, 0x0, 0x0, 0x0, 0x1])
            #expect(throws: HTTP2FrameReader.Oversized.self) { try reader.next() }
        }

        /// Live, over h2c and over TLS (ALPN h2): the section runs in `wsspec run --http2…` and is OK.
        @Test func referenceServerPassesLive() async throws {
            let results = try await withServer({ try await SessionServer.referenceServer(Self.configuration) }) { server in
                try await HTTP2LoopbackTests.suite(server).runHTTP2Section(HTTP2Section.cases, jobs: 4)
            }
            for result in results { #expect(result.verdict == .ok, "\(result.summary)") }
            let tls = try TLSSettings.serverContext(
                certificateChain: Fixtures.path("tls/server.pem"), privateKey: Fixtures.path("tls/server-key.pem"),
                applicationProtocols: ["h2", "http/1.1"])
            let overTLS = try await withServer({ try await SessionServer.referenceServer(Self.configuration, tls: tls) }) { server in
                try await HTTP2LoopbackTests.suite(server, secure: true, trust: .caFile(Fixtures.path("tls/ca.pem")))
                    .runHTTP2Section(HTTP2Section.cases(CaseSelection(cases: "14.1.*,14.2.1,14.4.*,14.6.3")), jobs: 2)
            }
            #expect(overTLS.count == 8)
            for result in overTLS { #expect(result.verdict == .ok, "\(result.summary)") }
        }

        /// The command: an HTTP/2 run takes the section (a defective server makes it exit 1); outside HTTP/2 a selection
        /// of section 14 alone is a usage error that says why.
        @Test func commandLine() async throws {
            #expect(await CommandTests.run(["run", "--sim", "--http2-prior-knowledge", "--cases", "14.*", "--format", ""]) == 0)
            #expect(await CommandTests.run(["run", "--sim", "--cases", "14.*", "--format", ""]) == 2)
            let status = try await withServer({
                try await SessionServer.start(plant: HTTP2Defect.dropsOneOctetDataFrames.plant) { EchoServer(configuration: Self.configuration) }
            }) { server in
                await CommandTests.run(["run", server.url().description, "--http2-prior-knowledge", "--cases", "1.1.1,14.5.*", "--format", ""])
            }
            #expect(status == 1)
        }
    }
}
